// Finding and loading the config for a command: a config that does not load is
// a config error (exit 2) listing every problem with its path.
import {
  formatIssues,
  loadConfig,
  resolveConfigPath,
  type ConfigIssue,
  type McpProxyConfig,
  type ServerConfig,
} from "@mcpproxy/config";
import { CliError } from "./errors.ts";
import type { CliContext } from "./io.ts";

export function configPathFor(ctx: CliContext, flag: string | undefined): string {
  return resolveConfigPath({ flag, env: ctx.env });
}

export interface LoadedConfig {
  path: string;
  config: McpProxyConfig;
}

export async function loadConfigOrThrow(ctx: CliContext, flag: string | undefined): Promise<LoadedConfig> {
  const path = configPathFor(ctx, flag);
  const result = await loadConfig(path);
  if (result.ok) return { path, config: result.config };
  if (result.errors.some((issue) => issue.code === "CONFIG_NOT_FOUND")) {
    throw new CliError("CONFIG_NOT_FOUND", `No config file at ${path}.`, {
      fix: "Create one with `mcpproxy config init` (or `mcpproxy serve`), or pass --config PATH.",
    });
  }
  throw configInvalid(path, result.errors);
}

/** CONFIG_INVALID listing every error with its path. */
export function configInvalid(path: string, errors: readonly ConfigIssue[]): CliError {
  const count = errors.length;
  return new CliError("CONFIG_INVALID", `${path} has ${count} error${count === 1 ? "" : "s"}.`, {
    details: formatIssues(errors),
    fix: "Correct the listed fields (`mcpproxy config validate` checks the file), then run the command again.",
  });
}

/** The named server, or a usage error that lists the configured names. */
export function findServer(loaded: LoadedConfig, name: string): ServerConfig {
  const server = loaded.config.mcpServers.find((candidate) => candidate.name === name);
  if (server !== undefined) return server;
  const names = loaded.config.mcpServers.map((candidate) => candidate.name);
  throw new CliError("SERVER_NOT_FOUND", `No server named "${name}" in ${loaded.path}.`, {
    fix:
      names.length === 0
        ? "The config has no servers yet: add one under `mcpServers`."
        : `Use one of: ${names.join(", ")}.`,
  });
}
