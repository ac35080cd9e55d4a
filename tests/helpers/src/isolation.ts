// Isolation-settings builders for tests: a config with Docker isolation on, and
// a per-file instance id so label sweeps never touch another suite's containers.
import { randomBytes } from "node:crypto";
import {
  defaultConfig,
  type DockerIsolationConfig,
  type McpProxyConfig,
  type ServerConfig,
} from "@mcpproxy/config";

export type ServerSpec = Pick<ServerConfig, "name" | "command"> & Partial<ServerConfig>;

/** A loaded-config equivalent with global isolation on, and these servers. */
export function configWith(
  servers: ServerSpec[],
  isolation: Partial<DockerIsolationConfig> = {},
): McpProxyConfig {
  const config = defaultConfig();
  config.docker_isolation = { ...config.docker_isolation, enabled: true, ...isolation };
  config.mcpServers = servers.map((server) => ({ args: [], env: {}, enabled: true, ...server }));
  return config;
}

export function serverOf(config: McpProxyConfig, name: string): ServerConfig {
  const server = config.mcpServers.find((s) => s.name === name);
  if (!server) throw new Error(`no server ${name}`);
  return server;
}

/** A unique proxy instance id per test file, so label sweeps never touch other suites. */
export function testInstanceId(): string {
  return `test-${randomBytes(4).toString("hex")}`;
}
