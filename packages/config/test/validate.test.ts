import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGES, formatIssues, validateConfig, type ConfigResult } from "../src/index.ts";
import { BAD_CONFIGS, global, isolated, server } from "./fixtures/bad-configs.ts";

function errorLines(result: ConfigResult): string[] {
  if (result.ok) throw new Error("expected the config to be rejected");
  return formatIssues(result.errors);
}

describe("validateConfig: bad configs", () => {
  it("has at least 30 distinct cases", () => {
    expect(new Set(BAD_CONFIGS.map(([, , line]) => line)).size).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD_CONFIGS)("%s", (_name, value, expected) => {
    expect(errorLines(validateConfig(value))).toEqual([expected]);
  });

  it("reports every error at once, not the first only", () => {
    const result = validateConfig({
      listen: "8080",
      docker_isolation: { memory_limit: "512", cpu_limit: "0", timeout: "30" },
      mcpServers: [{ name: "a b" }, server({ env: { "A-B": "x", N: 1 } })],
    });
    expect(errorLines(result).map((line) => line.split(":")[0])).toEqual([
      "listen",
      "docker_isolation.memory_limit",
      "docker_isolation.cpu_limit",
      "docker_isolation.timeout",
      "mcpServers[0].name",
      "mcpServers[0].command",
      'mcpServers[1].env["A-B"]',
      "mcpServers[1].env.N",
    ]);
  });

  it("gives each error a code", () => {
    const result = validateConfig(isolated({ memory_limit: "512", volumes: ["x"] }));
    expect(result.ok ? [] : result.errors.map((issue) => issue.code)).toEqual([
      "INVALID_MEMORY",
      "INVALID_VOLUME",
    ]);
  });

  it("never throws, whatever the value", () => {
    for (const value of [null, undefined, 42, "text", true, [], { mcpServers: [null, 1, "x"] }]) {
      expect(validateConfig(value).ok).toBe(false);
    }
  });
});

describe("validateConfig: good configs", () => {
  it("fills every default for an empty object", () => {
    const result = validateConfig({}, { source: "inline" });
    expect(result).toMatchObject({ ok: true, warnings: [], source: "inline" });
    if (!result.ok) return;
    expect(result.config.docker_isolation.default_images).toEqual(DEFAULT_IMAGES);
    expect(result.config.mcpServers).toEqual([]);
  });

  it("fills server defaults", () => {
    const result = validateConfig({ mcpServers: [{ name: "fetch", command: "uvx" }] });
    expect(result.ok && result.config.mcpServers).toEqual([
      { name: "fetch", command: "uvx", args: [], env: {}, enabled: true },
    ]);
  });

  it("keeps the default images that a partial default_images does not name", () => {
    const result = validateConfig(
      global({ default_images: { uvx: "python:3.12", deno: "denoland/deno:2" } }),
    );
    expect(result.ok && result.config.docker_isolation.default_images).toEqual({
      ...DEFAULT_IMAGES,
      uvx: "python:3.12",
      deno: "denoland/deno:2",
    });
  });

  it("normalizes the object-map form to the array form, in file order", () => {
    const result = validateConfig({
      mcpServers: {
        github: { command: "npx", args: ["-y", "server-github"] },
        fetch: { name: "fetch", command: "uvx" },
      },
    });
    expect(result.ok && result.config.mcpServers.map((s) => [s.name, s.command, s.args])).toEqual([
      ["github", "npx", ["-y", "server-github"]],
      ["fetch", "uvx", []],
    ]);
  });

  it.each([
    ["memory", { memory_limit: "1.5g" }],
    ["memory in bytes", { memory_limit: "536870912" }],
    ["memory with mb", { memory_limit: "512mb" }],
    ["cpus as a fraction", { cpu_limit: ".5" }],
    ["composite duration", { timeout: "1m30s" }],
    ["milliseconds", { timeout: "500ms" }],
    ["user-defined network", { network_mode: "mcp_net" }],
    [
      "hardening",
      { pids_limit: 256, read_only: true, cap_drop: ["ALL"], no_new_privileges: true, user: "1000:1000" },
    ],
    ["registry with port", { registry: "localhost:5000" }],
    [
      "image with registry and digest",
      { default_images: { node: `ghcr.io/org/node@sha256:${"a".repeat(64)}` } },
    ],
  ])("accepts %s", (_name, settings) => {
    expect(validateConfig(global(settings))).toMatchObject({ ok: true, warnings: [] });
  });

  it.each([
    ["host", "the host's network stack"],
    ["container:db-1", 'the network namespace of container "db-1"'],
  ])("accepts network_mode %s with a SHARED_NETWORK warning", (mode, words) => {
    const result = validateConfig(global({ network_mode: mode }));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: "SHARED_NETWORK",
        path: "docker_isolation.network_mode",
        message: expect.stringContaining(words) as unknown,
      }),
    ]);
  });

  it.each([
    ["read-only volume", ["/srv/data:/data:ro"]],
    ["Windows host path", ["C:\\Users\\me\\data:/data:rw"]],
    ["SELinux label", ["/srv:/srv:ro,z"]],
  ])("accepts a %s", (_name, volumes) => {
    expect(validateConfig(isolated({ volumes })).ok).toBe(true);
  });
});

describe("validateConfig: warnings", () => {
  function warningLines(value: unknown): string[] {
    const result = validateConfig(value);
    expect(result.ok).toBe(true);
    return formatIssues(result.warnings);
  }

  it.each([
    [
      global({ network_mode: "brige" }),
      'docker_isolation.network_mode: "brige" is not a built-in mode, so Docker will look for a network of that name; did you mean "bridge"?',
    ],
    [
      isolated({ network_mode: "None" }),
      'mcpServers[0].isolation.network_mode: "None" is not a built-in mode, so Docker will look for a network of that name; did you mean "none"?',
    ],
    [
      isolated({ extra_args: ["--privileged"] }),
      'mcpServers[0].isolation.extra_args[0]: "--privileged" removes much of the isolation the container gives',
    ],
    [
      { mcpServers: [server({ command: "/usr/bin/docker", isolation: { enabled: true } })] },
      'mcpServers[0].isolation.enabled: "/usr/bin/docker" runs containers itself, so this server is never isolated (Docker-in-Docker prevention); remove "enabled": true or set it to false',
    ],
  ])("%j", (value, expected) => {
    expect(warningLines(value)).toEqual([expected]);
  });
});

describe("validateConfig: hostile values", () => {
  it("keeps every message short for 1 MB values", () => {
    const huge = "a".repeat(1_000_000);
    const result = validateConfig({
      listen: huge,
      docker_isolation: { memory_limit: ` ${huge}`, network_mode: `brige${huge}`, extra_args: huge },
      mcpServers: [
        { name: huge, command: "npx" },
        { name: huge, command: "npx", isolation: { volumes: [`~${huge}:/x`], cpu_limit: `1,${huge}` } },
        { name: "ok", command: "npx", env: { [`1-${huge}`]: "v" }, [huge]: 1 },
      ],
    });
    if (result.ok) throw new Error("expected errors");
    expect(result.errors.length).toBeGreaterThanOrEqual(7);
    for (const issue of [...result.errors, ...result.warnings]) {
      expect(issue.message.length, issue.code).toBeLessThan(400);
    }
    const memory = result.errors.find((issue) => issue.path === "docker_isolation.memory_limit");
    expect(memory?.code).toBe("INVALID_MEMORY");
    expect(memory?.message).toMatch(/^" a{56}\.\.\." has spaces around it; write "a{57}\.\.\."$/);
  });

  it("keeps the server name short in a mismatch and a 1 MB key of the object form", () => {
    const huge = "n".repeat(1_000_000);
    const result = validateConfig({ mcpServers: { [huge]: { name: `${huge}2`, command: "npx" } } });
    if (result.ok) throw new Error("expected errors");
    for (const issue of result.errors) expect(issue.message.length).toBeLessThan(400);
  });

  it("never throws for a value nested 100,000 levels deep", () => {
    let value: unknown = [];
    for (let i = 0; i < 100_000; i++) value = { mcpServers: [value] };
    expect(() => validateConfig(value)).not.toThrow();
  });
});
