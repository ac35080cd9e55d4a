import { chmod, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ConfigError,
  DEFAULT_IMAGES,
  defaultConfig,
  ensureConfigFile,
  formatIssues,
  loadConfig,
  resolveIsolation,
  type ConfigOk,
} from "../src/index.ts";

const SPEC = new URL("./fixtures/spec/", import.meta.url).pathname;

async function loadFixture(name: string): Promise<ConfigOk> {
  const result = await loadConfig(join(SPEC, name));
  if (!result.ok) throw new Error(`${name}:\n${formatIssues(result.errors).join("\n")}`);
  return result;
}

describe("every JSON example of the spec loads", () => {
  it("covers every fixture file", async () => {
    const files = (await readdir(SPEC)).filter((file) => file.endsWith(".jsonc"));
    expect(files.sort()).toEqual(
      [...Object.keys(EXPECTED_WARNINGS), "guide-issue3-network-mode.verbatim.jsonc"].sort(),
    );
  });

  // Which warnings each example gives (most give none).
  const EXPECTED_WARNINGS: Record<string, string[]> = {
    "overview-global-docker-isolation.jsonc": [],
    "overview-per-server.jsonc": [],
    "overview-environment-variables.jsonc": [],
    "overview-docker-in-docker.jsonc": [],
    "guide-global-settings.jsonc": [],
    "guide-per-server-override.jsonc": [
      'mcpServers[0].isolation.enabled: "enabled" is given 2 times (lines 11, 13); the last one, the boolean true, is used and the others are ignored',
    ],
    "guide-issue1-docker-command.jsonc": [],
    "guide-issue1-solution.jsonc": [],
    "guide-issue2-disable.jsonc": [],
    "guide-issue2-volumes.jsonc": [],
    "guide-issue3-network-mode.jsonc": [
      'mcpServers[0].isolation.network_mode: "network_mode" is given 3 times (lines 13, 15, 17); the last one, "none", is used and the others are ignored',
    ],
    "guide-issue4-custom-image.jsonc": [],
    "guide-issue5-resources.jsonc": [],
    "guide-disable-globally.jsonc": [],
    "guide-disable-per-server.jsonc": [],
    "guide-quickref-disable.jsonc": [],
    "guide-quickref-resources.jsonc": [],
    "guide-quickref-network.jsonc": [
      'mcpServers[0].isolation.network_mode: "host" gives the server the host\'s network stack: the server reaches every local service, this proxy\'s loopback port included; use "none" or "bridge" unless it needs this',
    ],
    "guide-quickref-image.jsonc": [],
  };

  it.each(Object.entries(EXPECTED_WARNINGS))("%s", async (name, warnings) => {
    const result = await loadFixture(name);
    expect(formatIssues(result.warnings)).toEqual(warnings);
    expect(result.source).toBe(join(SPEC, name));
  });

  it("overview, global settings: every value as written, the 60s timeout included", async () => {
    const { config } = await loadFixture("overview-global-docker-isolation.jsonc");
    expect(config.docker_isolation).toEqual({
      enabled: true,
      memory_limit: "512m",
      cpu_limit: "1.0",
      timeout: "60s",
      network_mode: "bridge",
      registry: "docker.io",
      default_images: DEFAULT_IMAGES,
      extra_args: [],
      prepare: false,
    });
  });

  it("overview, per-server: one server opted in with its own settings, one opted out", async () => {
    const { config } = await loadFixture("overview-per-server.jsonc");
    const [custom, trusted] = config.mcpServers.map((server) => resolveIsolation(config, server));
    expect(custom).toMatchObject({
      enabled: true,
      image: "my-custom-python:latest",
      network_mode: "none",
      working_dir: "/app",
      extra_args: ["--cap-drop=ALL"],
    });
    expect(trusted).toMatchObject({ enabled: false, reason: "server-disabled" });
  });

  it("overview, environment: the variables are kept as strings", async () => {
    const { config } = await loadFixture("overview-environment-variables.jsonc");
    expect(config.mcpServers[0]?.env).toEqual({ API_KEY: "your-secret-key", DEBUG: "true" });
  });

  it.each([
    "overview-docker-in-docker.jsonc",
    "guide-issue1-docker-command.jsonc",
    "guide-issue1-solution.jsonc",
  ])("%s: a docker command is never isolated, even with isolation on globally", async (name) => {
    const { config } = await loadFixture(name);
    config.docker_isolation.enabled = true;
    const server = config.mcpServers[0];
    if (server === undefined) throw new Error("no server");
    expect(resolveIsolation(config, server)).toMatchObject({
      enabled: false,
      reason: "container-runtime-command",
    });
  });

  it("guide, global settings: four images listed, the other fifteen defaults kept", async () => {
    const { config } = await loadFixture("guide-global-settings.jsonc");
    expect(config.docker_isolation.default_images).toEqual(DEFAULT_IMAGES);
    expect(config.docker_isolation).toMatchObject({ enabled: true, timeout: "30s", registry: "docker.io" });
  });

  it("guide, per-server override: the last of the duplicate keys wins", async () => {
    const { config } = await loadFixture("guide-per-server-override.jsonc");
    expect(config.mcpServers[0]?.isolation).toEqual({
      enabled: true,
      image: "python:3.12-slim",
      memory_limit: "1g",
      cpu_limit: "2.0",
      network_mode: "none",
      working_dir: "/workspace",
    });
  });

  it("guide, network mode as printed: a syntax error at the missing comma", async () => {
    const path = join(SPEC, "guide-issue3-network-mode.verbatim.jsonc");
    const result = await loadConfig(path);
    expect(result.ok ? [] : formatIssues(result.errors)).toEqual([
      `${path}:9:5: expected "," before "network_mode"`,
      `${path}:11:5: expected "," before "network_mode"`,
    ]);
  });

  it.each([
    ["guide-issue2-volumes.jsonc", { enabled: true, volumes: ["/host/path:/container/path:ro"] }],
    ["guide-issue3-network-mode.jsonc", { enabled: true, network_mode: "none" }],
    ["guide-issue4-custom-image.jsonc", { image: "python:3.12-slim" }],
    ["guide-issue5-resources.jsonc", { enabled: true, memory_limit: "2g", cpu_limit: "2.0" }],
    ["guide-quickref-disable.jsonc", { enabled: false }],
    ["guide-quickref-resources.jsonc", { memory_limit: "2g", cpu_limit: "2.0" }],
    ["guide-quickref-network.jsonc", { network_mode: "host" }],
    ["guide-quickref-image.jsonc", { image: "python:3.12-slim" }],
    ["guide-issue2-disable.jsonc", { enabled: false }],
    ["guide-disable-per-server.jsonc", { enabled: false }],
  ])("%s: isolation %j", async (name, isolation) => {
    const { config } = await loadFixture(name);
    expect(config.mcpServers[0]?.isolation).toEqual(isolation);
  });

  it("guide, disable globally: the rest of docker_isolation keeps its defaults", async () => {
    const { config } = await loadFixture("guide-disable-globally.jsonc");
    expect(config).toEqual(defaultConfig());
  });
});

describe("loadConfig", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcpproxy-load-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns CONFIG_NOT_FOUND for a missing file, without throwing", async () => {
    const path = join(dir, "nope.json");
    expect(await loadConfig(path)).toEqual({
      ok: false,
      errors: [
        {
          path: "",
          code: "CONFIG_NOT_FOUND",
          file: path,
          message: `${path} does not exist; create it (mcpproxy creates a default one on first run) or point --config / MCPPROXY_CONFIG at an existing file`,
        },
      ],
      warnings: [],
      source: path,
    });
  });

  it("throws READ_FAILED for a path that cannot be read as a file", async () => {
    await expect(loadConfig(dir)).rejects.toMatchObject({
      name: "ConfigError",
      code: "READ_FAILED",
      file: dir,
    });
  });

  it("names the file in syntax errors", async () => {
    const path = join(dir, "c.json");
    await writeFile(path, '{\n  "listen": "127.0.0.1:1",\n  "log_level" "info"\n}');
    const result = await loadConfig(path);
    expect(result.ok ? [] : formatIssues(result.errors)).toEqual([
      `${path}:3:15: expected ":" after the property name, found "info"`,
    ]);
  });
});

describe("ensureConfigFile (first run)", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcpproxy-ensure-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the directory (0700) and a default file (0600) with a generated api_key", async () => {
    const path = join(dir, "home", ".mcpproxy", "mcp_config.json");
    const { created, result } = await ensureConfigFile(path);
    expect(created).toBe(true);
    expect((await stat(join(dir, "home", ".mcpproxy"))).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    if (!result.ok) throw new Error("expected a valid default config");
    const { api_key, ...rest } = result.config;
    expect(api_key).toMatch(/^[0-9a-f]{64}$/);
    expect(rest).toEqual(defaultConfig());
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ listen: "127.0.0.1:8080", api_key });
    expect(await readdir(join(dir, "home", ".mcpproxy"))).toEqual(["mcp_config.json"]);
  });

  it("leaves an existing complete file alone", async () => {
    const path = join(dir, "mcp_config.json");
    const first = await ensureConfigFile(path);
    const before = await stat(path, { bigint: true });
    const second = await ensureConfigFile(path);
    expect(second.created).toBe(false);
    expect(second.result.ok && second.result.config.api_key).toBe(
      first.result.ok && first.result.config.api_key,
    );
    expect((await stat(path, { bigint: true })).mtimeNs).toBe(before.mtimeNs);
  });

  it("adds an api_key to an existing file, keeping its comments and mode", async () => {
    const path = join(dir, "mcp_config.json");
    const text =
      '{\n  // my proxy\n  "listen": "127.0.0.1:9000", // port\n  "mcpServers": [] /* none yet */\n}\n';
    await writeFile(path, text);
    await chmod(path, 0o640);
    const { created, result } = await ensureConfigFile(path);
    expect(created).toBe(false);
    const key = result.ok ? result.config.api_key : undefined;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(path, "utf8")).toBe(
      `{\n  // my proxy\n  "listen": "127.0.0.1:9000",\n  "api_key": "${key}", // port\n  "mcpServers": [] /* none yet */\n}\n`,
    );
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });

  it("does not touch an existing file that does not validate", async () => {
    const path = join(dir, "mcp_config.json");
    await writeFile(path, '{ "listen": 8080 }');
    const { created, result } = await ensureConfigFile(path);
    expect(created).toBe(false);
    expect(result.ok ? [] : formatIssues(result.errors)).toEqual([
      'listen: expected a string, got the number 8080; write it in quotes: "8080"',
    ]);
    expect(await readFile(path, "utf8")).toBe('{ "listen": 8080 }');
  });

  it("creates the file once when several processes start together", async () => {
    const path = join(dir, "mcp_config.json");
    const results = await Promise.all(Array.from({ length: 6 }, () => ensureConfigFile(path)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const keys = new Set(results.map((r) => (r.result.ok ? r.result.config.api_key : undefined)));
    expect(keys.size).toBe(1);
    expect(await readdir(dir)).toEqual(["mcp_config.json"]);
  });

  it("throws WRITE_FAILED when the directory cannot be created", async () => {
    // A dangling symlink: reading says "not found", creating the directory fails.
    await symlink(join(dir, "missing", "target"), join(dir, "link"));
    const error: unknown = await ensureConfigFile(join(dir, "link", "c.json")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: "WRITE_FAILED" });
    expect((error as Error).cause).toBeDefined();
  });

  it("throws READ_FAILED when a parent of the path is a file", async () => {
    await writeFile(join(dir, "file"), "");
    await expect(ensureConfigFile(join(dir, "file", "c.json"))).rejects.toMatchObject({
      code: "READ_FAILED",
    });
  });
});
