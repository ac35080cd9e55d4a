// startProxy's checks before anything runs: first-run config creation, the
// loopback rule, invalid config and listen values, a busy port.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProxyError, startProxy } from "../src/index.ts";
import { rest, tempDir, writeConfig, type TempDir } from "./helpers.ts";

async function startError(options: Parameters<typeof startProxy>[0]): Promise<ProxyError> {
  try {
    const proxy = await startProxy(options);
    await proxy.stop();
  } catch (error) {
    if (error instanceof ProxyError) return error;
    throw error;
  }
  throw new Error("startProxy did not fail");
}

describe("startProxy", () => {
  let tmp: TempDir;
  const logDir = () => path.join(tmp.dir, "logs");

  beforeAll(async () => {
    tmp = await tempDir();
  });

  afterAll(async () => {
    await tmp?.remove();
  });

  it("creates a missing config on first run, with an api_key the REST API then requires", async () => {
    const configPath = path.join(tmp.dir, "first", "mcp_config.json");
    const proxy = await startProxy({ configPath, listen: "127.0.0.1:0", logDir: logDir(), console: false });
    try {
      const written = JSON.parse(await readFile(configPath, "utf8")) as { api_key?: string };
      expect(written.api_key).toMatch(/^[0-9a-f]{64}$/);
      expect(proxy.apiKey).toBe(written.api_key);
      expect(proxy.configPath).toBe(configPath);
      expect((await rest(proxy.url, "/servers")).status).toBe(401);
      expect((await rest(proxy.url, "/servers", { apiKey: proxy.apiKey })).body).toEqual({ servers: [] });
    } finally {
      await proxy.stop();
    }
  });

  it("leaves an existing file without api_key as it is, and then refuses every request", async () => {
    const configPath = path.join(tmp.dir, "nokey.json");
    await writeFile(configPath, '{ "mcpServers": [] }\n');
    const before = await readFile(configPath, "utf8");
    const proxy = await startProxy({ configPath, listen: "127.0.0.1:0", logDir: logDir(), console: false });
    try {
      expect(proxy.apiKey).toBeUndefined();
      expect(await readFile(configPath, "utf8")).toBe(before);
      const refused = await rest<{ error: { message: string } }>(proxy.url, "/servers");
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toMatch(/no "api_key".*allow_loopback_without_key/);
    } finally {
      await proxy.stop();
    }
  });

  it("answers without a key on loopback only with allow_loopback_without_key", async () => {
    const configPath = path.join(tmp.dir, "optout.json");
    await writeConfig(configPath, { allow_loopback_without_key: true, mcpServers: [] });
    const proxy = await startProxy({ configPath, listen: "127.0.0.1:0", logDir: logDir(), console: false });
    try {
      expect((await rest(proxy.url, "/servers")).status).toBe(200);
    } finally {
      await proxy.stop();
    }
  });

  it("refuses a non-loopback listen without an api_key, or with one under 32 characters", async () => {
    const configPath = path.join(tmp.dir, "open.json");
    await writeFile(configPath, '{ "listen": "0.0.0.0:8080", "mcpServers": [] }');
    const error = await startError({ configPath, logDir: logDir(), console: false });
    expect(error.code).toBe("INSECURE_LISTEN");
    expect(error.message).toMatch(/api_key/);
    const flag = await startError({ configPath, listen: "0.0.0.0:0", logDir: logDir(), console: false });
    expect(flag.code).toBe("INSECURE_LISTEN");
    await writeConfig(configPath, { api_key: "short-key", mcpServers: [] });
    const short = await startError({ configPath, listen: "0.0.0.0:0", logDir: logDir(), console: false });
    expect(short.code).toBe("INSECURE_LISTEN");
    expect(short.message).toMatch(/9 characters.*at least 32/);
  });

  it("reports an invalid config file with every issue", async () => {
    const configPath = path.join(tmp.dir, "invalid.json");
    await writeFile(configPath, '{ "tools_mode": "sideways", "mcpServers": [{ "name": "x" }] }');
    const error = await startError({ configPath, listen: "127.0.0.1:0", logDir: logDir(), console: false });
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(configPath);
    expect(error.message).toMatch(/tools_mode/);
    expect(error.message).toMatch(/command/);
  });

  it("rejects a malformed listen value", async () => {
    const configPath = path.join(tmp.dir, "listen.json");
    await writeConfig(configPath, { mcpServers: [] });
    const error = await startError({ configPath, listen: "localhost", logDir: logDir(), console: false });
    expect(error.code).toBe("LISTEN_INVALID");
  });

  it("fails with LISTEN_FAILED on a busy port", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const configPath = path.join(tmp.dir, "busy.json");
      await writeConfig(configPath, { mcpServers: [] });
      const error = await startError({
        configPath,
        listen: `127.0.0.1:${port}`,
        logDir: logDir(),
        console: false,
      });
      expect(error.code).toBe("LISTEN_FAILED");
      expect(error.message).toContain(String(port));
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});
