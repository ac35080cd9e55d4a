import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSandbox, parseJson, runCli, type Sandbox } from "../run-cli.ts";

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe("mcpproxy config path", () => {
  it("prints $MCPPROXY_CONFIG, and --config wins over it", async () => {
    const fromEnv = await runCli(sandbox, ["config", "path"]);
    expect(fromEnv.exitCode).toBe(0);
    expect(fromEnv.stdout.trim()).toBe(sandbox.configPath);
    expect(fromEnv.stderr).toContain("mcpproxy config init");

    const other = path.join(sandbox.dir, "other.json");
    const fromFlag = await runCli(sandbox, ["config", "path", "--config", other, "--json"]);
    expect(fromFlag.exitCode).toBe(0);
    expect(parseJson(fromFlag)).toEqual({ path: other, exists: false });
  });

  it("defaults to ~/.mcpproxy/mcp_config.json", async () => {
    const result = await runCli(sandbox, ["config", "path", "--json"], {
      env: { MCPPROXY_CONFIG: undefined },
    });
    expect(result.exitCode).toBe(0);
    expect(parseJson<{ path: string }>(result).path).toBe(
      path.join(sandbox.home, ".mcpproxy", "mcp_config.json"),
    );
  });
});

describe("mcpproxy config init", () => {
  it("creates a valid default config once and leaves an existing one unchanged", async () => {
    const first = await runCli(sandbox, ["config", "init", "--json"]);
    expect(first.exitCode).toBe(0);
    expect(parseJson(first)).toEqual({
      path: sandbox.configPath,
      created: true,
      addedApiKey: false,
      valid: true,
    });
    const written = await readFile(sandbox.configPath, "utf8");
    expect(JSON.parse(written)).toHaveProperty("mcpServers");

    const second = await runCli(sandbox, ["config", "init"]);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain("already exists; left unchanged");
    expect(await readFile(sandbox.configPath, "utf8")).toBe(written);

    const validate = await runCli(sandbox, ["config", "validate"]);
    expect(validate.exitCode).toBe(0);
    expect(validate.stdout).toContain(`${sandbox.configPath} is valid`);
  });
});

describe("mcpproxy config init on an existing file", () => {
  it("keeps the settings and adds a generated api_key when there is none", async () => {
    await sandbox.writeConfig({ listen: "127.0.0.1:9999", mcpServers: [] });
    const result = await runCli(sandbox, ["config", "init", "--json"]);
    expect(result.exitCode).toBe(0);
    expect(parseJson(result)).toMatchObject({ created: false, addedApiKey: true, valid: true });
    const config = JSON.parse(await readFile(sandbox.configPath, "utf8")) as {
      listen: string;
      api_key: string;
    };
    expect(config.listen).toBe("127.0.0.1:9999");
    expect(config.api_key).toMatch(/^[0-9a-f]{64}$/);
  });

  it("exits 2 and lists the errors when the existing file is invalid", async () => {
    await sandbox.writeConfig({ listen: 8080 });
    const result = await runCli(sandbox, ["config", "init"]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain("already exists; left unchanged");
    expect(result.stderr).toMatch(/^ {2}listen: /m);
  });
});

describe("mcpproxy config validate", () => {
  it("prints every error with its path and exits 2", async () => {
    await sandbox.writeConfig({
      listen: "nonsense",
      docker_isolation: { enabled: true, memory_limit: "512" },
      mcpServers: [{ name: "a", command: "npx", isolation: { cpu_limit: "lots" } }],
    });
    const human = await runCli(sandbox, ["config", "validate"]);
    expect(human.exitCode).toBe(2);
    expect(human.stdout).toMatch(/^\s+error\s+listen: /m);
    expect(human.stdout).toMatch(/^\s+error\s+docker_isolation\.memory_limit: /m);
    expect(human.stdout).toMatch(/^\s+error\s+mcpServers\[0\]\.isolation\.cpu_limit: /m);

    const json = await runCli(sandbox, ["config", "validate", "--json"]);
    expect(json.exitCode).toBe(2);
    const report = parseJson<{ valid: boolean; errors: { path: string; message: string }[] }>(json);
    expect(report.valid).toBe(false);
    expect(report.errors.map((error) => error.path)).toEqual(
      expect.arrayContaining([
        "listen",
        "docker_isolation.memory_limit",
        "mcpServers[0].isolation.cpu_limit",
      ]),
    );
    for (const error of report.errors) expect(error.message.length).toBeGreaterThan(0);
  });

  it("reports a JSON syntax error with its line and column", async () => {
    await sandbox.writeConfig('{\n  "listen": "127.0.0.1:8080",\n  "mcpServers": [\n}\n');
    const result = await runCli(sandbox, ["config", "validate"]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain(`${sandbox.configPath}:4:`);
  });

  it("exits 2 when the file does not exist, naming the fix", async () => {
    const result = await runCli(sandbox, ["config", "validate", "--json"]);
    expect(result.exitCode).toBe(2);
    const report = parseJson<{ valid: boolean; errors: { code: string }[] }>(result);
    expect(report.valid).toBe(false);
    expect(report.errors[0]?.code).toBe("CONFIG_NOT_FOUND");
    expect(existsSync(sandbox.configPath)).toBe(false);
  });
});

describe("mcpproxy config schema", () => {
  it("prints a JSON Schema describing mcpServers and docker_isolation", async () => {
    const result = await runCli(sandbox, ["config", "schema"]);
    expect(result.exitCode).toBe(0);
    const schema = parseJson<{ properties: Record<string, unknown> }>(result);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["mcpServers", "docker_isolation", "listen"]),
    );
  });
});
