// The proxy's own boundary over real HTTP: /mcp asks for the key like REST, a
// rotated key applies before any upstream work of the reload, and a failed
// request never writes the key (?apikey=) into a log file.
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { serverLogFileName } from "@mcpproxy/diagnostics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import {
  connectClient,
  dynamicServer,
  rest,
  startTestProxy,
  tempDir,
  uniqueName,
  waitFor,
  waitReady,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";

const KEY = "http-auth-key-A-0123456789abcdef0123456789";
const ROTATED = "http-auth-key-B-0123456789abcdef0123456789";

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
});

async function initialize(url: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: INITIALIZE,
  });
  await response.body?.cancel();
  return response.status;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("the API key on /mcp and REST", () => {
  let tmp: TempDir;
  let configPath: string;
  let logDir: string;
  let proxy: RunningProxy;
  const lingering = uniqueName("linger");
  const broken = uniqueName("broken");

  beforeAll(async () => {
    tmp = await tempDir();
    logDir = path.join(tmp.dir, "logs");
    // A directory where the server's log file belongs: reading its logs fails with an unexpected error.
    await mkdir(path.join(logDir, serverLogFileName(broken)), { recursive: true });
    const config = {
      api_key: KEY,
      mcpServers: [
        dynamicServer(lingering, { env: { LINGER: "1" } }),
        { name: broken, command: "node", enabled: false },
      ],
    };
    proxy = await startTestProxy(tmp, config, { reloadDebounceMs: 20 });
    configPath = proxy.configPath;
    await waitReady(proxy.url, KEY, [lingering]);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("refuses /mcp on loopback without the key, accepts it in each documented place", async () => {
    expect(await initialize(proxy.mcpUrl, {})).toBe(401);
    expect(await initialize(proxy.mcpUrl, { "x-api-key": "wrong" })).toBe(401);
    expect(await initialize(proxy.mcpUrl, { authorization: "Bearer wrong" })).toBe(401);
    expect(await initialize(proxy.mcpUrl, { "x-api-key": KEY })).toBe(200);
    expect(await initialize(proxy.mcpUrl, { authorization: `Bearer ${KEY}` })).toBe(200);
    expect(await initialize(`${proxy.mcpUrl}?apikey=${KEY}`, {})).toBe(200);
    const refused = await fetch(proxy.mcpUrl, { method: "POST", body: INITIALIZE });
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /missing API key.*X-API-Key/,
    );
    const client = await connectClient(proxy.mcpUrl, KEY);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("call_tool");
    await client.close();
  });

  it("keeps ?apikey= out of every log file when a request fails unexpectedly", async () => {
    const url = new URL(`/api/v1/servers/${broken}/logs?apikey=${KEY}&tail=3`, proxy.url);
    const failed = await fetch(url);
    expect(failed.status).toBe(500);
    await waitFor(async () => {
      const main = await readFile(path.join(logDir, "main.log"), "utf8");
      return main.includes(`/api/v1/servers/${broken}/logs?apikey=***&tail=3`) ? true : undefined;
    }, "the failed request in main.log, redacted");
    for (const file of await filesUnder(logDir)) {
      expect(await readFile(file, "utf8"), file).not.toContain(KEY);
    }
  });

  it("applies a rotated api_key before the reload's upstream work", async () => {
    const { readFile: read, writeFile } = await import("node:fs/promises");
    const text = await read(configPath, "utf8");
    const config = JSON.parse(text) as { api_key: string; mcpServers: { name: string }[] };
    config.api_key = ROTATED;
    // Removing the lingering server makes the reload wait for its stop grace period.
    config.mcpServers = config.mcpServers.filter((s) => s.name !== lingering);
    await writeFile(configPath, JSON.stringify(config));
    await waitFor(
      async () => ((await rest(proxy.url, "/status", { apiKey: ROTATED })).status === 200 ? true : undefined),
      "the rotated key to be accepted",
      30_000,
      10,
    );
    // The server being removed is still there: the key changed first.
    const servers = await rest<{ servers: ServerJson[] }>(proxy.url, "/servers", { apiKey: ROTATED });
    expect(servers.body.servers.map((s) => s.name)).toContain(lingering);
    expect((await rest(proxy.url, "/status", { apiKey: KEY })).status).toBe(401);
    expect(await initialize(proxy.mcpUrl, { "x-api-key": KEY })).toBe(401);
    expect(await initialize(proxy.mcpUrl, { "x-api-key": ROTATED })).toBe(200);
  });
});
