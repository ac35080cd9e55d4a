import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGES, DEFAULT_LISTEN, defaultConfig, DOCKER_ISOLATION_DEFAULTS } from "../src/index.ts";

// The spec's table of defaults (docker-isolation-overview.md, "Configuration Options"),
// and its list of runtime → image mappings, written out here independently of src/.
const SPEC_TABLE = {
  enabled: false,
  memory_limit: "512m",
  cpu_limit: "1.0",
  timeout: "30s",
  network_mode: "bridge",
  registry: "docker.io",
  extra_args: [],
};
const SPEC_IMAGES: [string, string][] = [
  ["python", "python:3.11"],
  ["python3", "python:3.11"],
  ["uvx", "python:3.11"],
  ["pip", "python:3.11"],
  ["pipx", "python:3.11"],
  ["node", "node:20"],
  ["npm", "node:20"],
  ["npx", "node:20"],
  ["yarn", "node:20"],
  ["go", "golang:1.21-alpine"],
  ["cargo", "rust:1.75-slim"],
  ["rustc", "rust:1.75-slim"],
  ["ruby", "ruby:3.2-alpine"],
  ["gem", "ruby:3.2-alpine"],
  ["php", "php:8.2-cli-alpine"],
  ["composer", "php:8.2-cli-alpine"],
  ["binary", "alpine:3.18"],
  ["sh", "alpine:3.18"],
  ["bash", "alpine:3.18"],
];

describe("defaults", () => {
  it.each(Object.entries(SPEC_TABLE))("docker_isolation.%s is the spec's default", (key, value) => {
    expect(DOCKER_ISOLATION_DEFAULTS[key as keyof typeof DOCKER_ISOLATION_DEFAULTS]).toEqual(value);
  });

  it("has the spec's 19 default images, and nothing else", () => {
    expect(Object.entries(DEFAULT_IMAGES)).toEqual(SPEC_IMAGES);
    expect(DOCKER_ISOLATION_DEFAULTS.default_images).toBe(DEFAULT_IMAGES);
  });

  it("sets no hardening option, so the default docker run stays the spec's", () => {
    for (const key of ["pids_limit", "read_only", "cap_drop", "no_new_privileges", "user"]) {
      expect(DOCKER_ISOLATION_DEFAULTS).not.toHaveProperty(key);
    }
  });

  it("uses 30s, not the 60s of one spec example, as the default timeout", () => {
    expect(defaultConfig().docker_isolation.timeout).toBe("30s");
  });

  it("defaultConfig is complete and has no servers or api_key", () => {
    expect(defaultConfig()).toEqual({
      listen: DEFAULT_LISTEN,
      allow_loopback_without_key: false,
      log_level: "info",
      tools_mode: "retrieve",
      docker_isolation: { ...SPEC_TABLE, default_images: Object.fromEntries(SPEC_IMAGES), prepare: false },
      mcpServers: [],
    });
    expect(DEFAULT_LISTEN).toBe("127.0.0.1:8080");
  });

  it("defaultConfig returns fresh objects that can be changed safely", () => {
    const first = defaultConfig();
    first.docker_isolation.extra_args.push("--x");
    first.docker_isolation.default_images["deno"] = "denoland/deno";
    expect(defaultConfig().docker_isolation.extra_args).toEqual([]);
    expect(DEFAULT_IMAGES).not.toHaveProperty("deno");
  });

  it("prepare is off by default (the spec's download-at-start behaviour stays exact)", () => {
    expect(DOCKER_ISOLATION_DEFAULTS.prepare).toBe(false);
  });

  it("the constants are frozen", () => {
    expect(Object.isFrozen(DEFAULT_IMAGES)).toBe(true);
    expect(Object.isFrozen(DOCKER_ISOLATION_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(DOCKER_ISOLATION_DEFAULTS.extra_args)).toBe(true);
  });
});
