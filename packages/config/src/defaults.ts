// Every default of mcp_config.json, as in the spec's table of defaults.
// Where the spec's examples disagree with that table (the overview's example
// shows `"timeout": "60s"`), the table wins: the default timeout is 30s.
import type { DockerIsolationConfig, McpProxyConfig } from "./types.ts";

export const DEFAULT_LISTEN = "127.0.0.1:8080";

/** Command or runtime name → Docker image; the spec's full table. */
export const DEFAULT_IMAGES: Readonly<Record<string, string>> = Object.freeze({
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
});

type ReadonlyIsolationDefaults = Readonly<
  Omit<DockerIsolationConfig, "default_images" | "extra_args"> & {
    default_images: Readonly<Record<string, string>>;
    extra_args: readonly string[];
    prepare: boolean;
  }
>;

/** `docker_isolation.pull_timeout` when unset: generous, a first pull of a runtime image is ~1 GB. */
export const DEFAULT_PULL_TIMEOUT = "15m";

/** `docker_isolation` when the file says nothing. No hardening field is set by default. */
export const DOCKER_ISOLATION_DEFAULTS: ReadonlyIsolationDefaults = Object.freeze({
  enabled: false,
  memory_limit: "512m",
  cpu_limit: "1.0",
  timeout: "30s",
  network_mode: "bridge",
  registry: "docker.io",
  default_images: DEFAULT_IMAGES,
  extra_args: Object.freeze([]),
  prepare: false,
});

/** A complete config with every default and no servers (and no api_key). Fresh objects each call. */
export function defaultConfig(): McpProxyConfig {
  return {
    listen: DEFAULT_LISTEN,
    allow_loopback_without_key: false,
    log_level: "info",
    tools_mode: "retrieve",
    docker_isolation: {
      ...DOCKER_ISOLATION_DEFAULTS,
      default_images: { ...DEFAULT_IMAGES },
      extra_args: [],
    },
    mcpServers: [],
  };
}
