// Builders for test inputs: the spec's defaults, overridable per test.
import type { EffectiveIsolation, ServerConfig } from "@mcpproxy/config";
import { DockerArgsError } from "../src/errors.ts";

export const SPEC_DEFAULT_IMAGES: Record<string, string> = {
  python: "python:3.11",
  python3: "python:3.11",
  uvx: "python:3.11",
  pip: "python:3.11",
  pipx: "python:3.11",
  node: "node:20",
  npm: "node:20",
  npx: "node:20",
  yarn: "node:20",
  go: "golang:1.21-alpine",
  cargo: "rust:1.75-slim",
  rustc: "rust:1.75-slim",
  ruby: "ruby:3.2-alpine",
  gem: "ruby:3.2-alpine",
  php: "php:8.2-cli-alpine",
  composer: "php:8.2-cli-alpine",
  binary: "alpine:3.18",
  sh: "alpine:3.18",
  bash: "alpine:3.18",
};

export function server(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    name: "my-server",
    command: "uvx",
    args: ["mcp-server-name"],
    env: {},
    enabled: true,
    ...overrides,
  };
}

export function settings(overrides: Partial<EffectiveIsolation> = {}): EffectiveIsolation {
  return {
    enabled: true,
    memory_limit: "512m",
    cpu_limit: "1.0",
    network_mode: "bridge",
    timeout_ms: 30_000,
    registry: "docker.io",
    default_images: { ...SPEC_DEFAULT_IMAGES },
    extra_args: [],
    volumes: [],
    ...overrides,
  };
}

/** argv without the name/label/cidfile flags, i.e. the spec's form. */
export function withoutManaged(argv: readonly string[]): string[] {
  return argv.filter((arg) => !/^--(?:name|label|cidfile)=/.test(arg));
}

export function thrown(fn: () => unknown): DockerArgsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DockerArgsError) return error;
    throw error;
  }
  throw new Error("expected a DockerArgsError");
}
