import { describe, expect, it } from "vitest";
import {
  defaultConfig,
  DEFAULT_IMAGES,
  resolveIsolation,
  resolvePrepare,
  validateConfig,
  type IsolationDisabledReason,
  type McpProxyConfig,
  type ServerConfig,
} from "../src/index.ts";

function config(docker_isolation: Partial<McpProxyConfig["docker_isolation"]> = {}): McpProxyConfig {
  const base = defaultConfig();
  return { ...base, docker_isolation: { ...base.docker_isolation, ...docker_isolation } };
}

function server(command: string, isolation?: ServerConfig["isolation"]): ServerConfig {
  return { name: "s", command, args: [], env: {}, enabled: true, ...(isolation ? { isolation } : {}) };
}

describe("resolveIsolation: whether a server is isolated", () => {
  // Every combination of the global switch, the server's switch and the kind of command.
  const commands = ["uvx", "docker", "/usr/local/bin/podman", "C:\\Docker\\docker.exe"];
  const cases: [boolean, boolean | undefined, string, IsolationDisabledReason | "isolated"][] = [];
  for (const globalOn of [true, false]) {
    for (const serverSwitch of [undefined, true, false]) {
      for (const command of commands) {
        let expected: IsolationDisabledReason | "isolated";
        if (command !== "uvx") expected = "container-runtime-command";
        else if (serverSwitch === false) expected = "server-disabled";
        else if (serverSwitch === true || globalOn) expected = "isolated";
        else expected = "global-disabled";
        cases.push([globalOn, serverSwitch, command, expected]);
      }
    }
  }

  it.each(cases)("global %s, server %s, command %s → %s", (globalOn, serverSwitch, command, expected) => {
    const isolation = serverSwitch === undefined ? undefined : { enabled: serverSwitch };
    const result = resolveIsolation(config({ enabled: globalOn }), server(command, isolation));
    expect(result.enabled ? "isolated" : result.reason).toBe(expected);
  });

  it("explains each reason in one sentence", () => {
    const off = resolveIsolation(config({ enabled: false }), server("uvx"));
    expect(off).toEqual({
      enabled: false,
      reason: "global-disabled",
      detail:
        'Docker isolation is off globally ("docker_isolation.enabled": false) and this server does not opt in',
      timeout_ms: 30_000,
    });
    const serverOff = resolveIsolation(config({ enabled: true }), server("uvx", { enabled: false }));
    expect(serverOff).toMatchObject({
      reason: "server-disabled",
      detail: 'isolation is turned off for this server ("isolation.enabled": false)',
    });
    const docker = resolveIsolation(config({ enabled: true }), server("/usr/bin/docker"));
    expect(docker).toMatchObject({
      reason: "container-runtime-command",
      detail: "the command `docker` is itself a container runtime (Docker-in-Docker prevention)",
    });
  });

  it("says that an explicit opt-in is ignored for a container runtime", () => {
    const result = resolveIsolation(config({ enabled: true }), server("podman", { enabled: true }));
    expect(result.enabled === false && result.detail).toBe(
      'the command `podman` is itself a container runtime (Docker-in-Docker prevention); its "isolation.enabled": true is ignored',
    );
  });

  it("gives the startup timeout to servers that are not isolated too", () => {
    expect(resolveIsolation(config({ timeout: "1m30s" }), server("uvx")).timeout_ms).toBe(90_000);
  });
});

describe("resolveIsolation: effective settings", () => {
  it("uses the global settings (the spec's defaults) when the server sets nothing", () => {
    expect(resolveIsolation(config({ enabled: true }), server("uvx"))).toEqual({
      enabled: true,
      memory_limit: "512m",
      cpu_limit: "1.0",
      network_mode: "bridge",
      timeout_ms: 30_000,
      registry: "docker.io",
      default_images: { ...DEFAULT_IMAGES },
      extra_args: [],
      volumes: [],
    });
  });

  it("takes each server value over the global one", () => {
    const global = config({
      enabled: true,
      memory_limit: "256m",
      cpu_limit: "0.5",
      network_mode: "bridge",
      timeout: "45s",
      registry: "registry.local:5000",
      extra_args: ["--label=a"],
    });
    const own = server("python", {
      image: "my-python:1",
      memory_limit: "1g",
      cpu_limit: "2.0",
      network_mode: "none",
      working_dir: "/app",
      extra_args: ["--cap-drop=ALL"],
      volumes: ["/srv:/srv:ro"],
    });
    expect(resolveIsolation(global, own)).toEqual({
      enabled: true,
      image: "my-python:1",
      memory_limit: "1g",
      cpu_limit: "2.0",
      network_mode: "none",
      timeout_ms: 45_000,
      registry: "registry.local:5000",
      default_images: { ...DEFAULT_IMAGES },
      extra_args: ["--label=a", "--cap-drop=ALL"],
      working_dir: "/app",
      volumes: ["/srv:/srv:ro"],
    });
  });

  it("takes each field separately: a server value for one field keeps the global values of the others", () => {
    const result = resolveIsolation(
      config({ enabled: true, cpu_limit: "3" }),
      server("uvx", { memory_limit: "2g" }),
    );
    expect(result).toMatchObject({ memory_limit: "2g", cpu_limit: "3", network_mode: "bridge" });
  });

  it.each([
    ["pids_limit", 100, 200],
    ["read_only", true, false],
    ["cap_drop", ["ALL"], ["NET_RAW"]],
    ["no_new_privileges", false, true],
    ["user", "1000", "nobody"],
  ] as const)("hardening %s: server over global, global over nothing", (key, globalValue, serverValue) => {
    const global = config({ enabled: true, [key]: globalValue });
    expect(resolveIsolation(global, server("uvx"))).toHaveProperty(key, globalValue);
    expect(resolveIsolation(global, server("uvx", { [key]: serverValue }))).toHaveProperty(key, serverValue);
    expect(resolveIsolation(config({ enabled: true }), server("uvx"))).not.toHaveProperty(key);
  });

  it("returns copies: changing the result does not change the config", () => {
    const cfg = config({ enabled: true, extra_args: ["--a"], cap_drop: ["ALL"] });
    const result = resolveIsolation(cfg, server("uvx", { volumes: ["/a:/a"] }));
    if (!result.enabled) throw new Error("expected isolation");
    result.extra_args.push("--b");
    result.volumes.push("/b:/b");
    result.cap_drop?.push("X");
    result.default_images["x"] = "y";
    expect(cfg.docker_isolation.extra_args).toEqual(["--a"]);
    expect(cfg.docker_isolation.cap_drop).toEqual(["ALL"]);
    expect(cfg.docker_isolation.default_images).not.toHaveProperty("x");
  });

  it("works on a loaded config (the overview's per-server example)", () => {
    const loaded = validateConfig({
      docker_isolation: { enabled: false },
      mcpServers: [
        { name: "custom", command: "python", isolation: { enabled: true, image: "my-custom-python:latest" } },
        { name: "trusted", command: "python", isolation: { enabled: false } },
      ],
    });
    if (!loaded.ok) throw new Error("expected a valid config");
    const [custom, trusted] = loaded.config.mcpServers.map((s) => resolveIsolation(loaded.config, s));
    expect(custom).toMatchObject({ enabled: true, image: "my-custom-python:latest" });
    expect(trusted).toMatchObject({ enabled: false, reason: "server-disabled" });
  });

  it("throws a ConfigError for a hand-built config with an invalid timeout (a programmer error)", () => {
    expect(() => resolveIsolation(config({ timeout: "soon" }), server("uvx"))).toThrow(
      /duration "soon" is invalid/,
    );
  });
});

describe("resolvePrepare: prepared images per server", () => {
  it.each([
    [false, undefined, false],
    [true, undefined, true],
    [false, true, true],
    [true, false, false],
  ] as const)("global %s, server %s → %s", (globalOn, serverSwitch, expected) => {
    const isolation = serverSwitch === undefined ? undefined : { prepare: serverSwitch };
    expect(resolvePrepare(config({ prepare: globalOn }), server("npx", isolation))).toBe(expected);
  });

  it("is off for a config written before the field existed", () => {
    const { prepare: _dropped, ...older } = defaultConfig().docker_isolation;
    expect(resolvePrepare({ ...defaultConfig(), docker_isolation: older }, server("npx"))).toBe(false);
  });

  it("accepts booleans in the file and names the field for anything else", () => {
    const ok = validateConfig({
      docker_isolation: { prepare: true },
      mcpServers: [{ name: "m", command: "npx", isolation: { prepare: false } }],
    });
    expect(ok.ok).toBe(true);
    const bad = validateConfig({ docker_isolation: { prepare: "yes" } });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toContain("docker_isolation.prepare");
  });
});
