// Where the config file is: --config flag, else MCPPROXY_CONFIG, else ~/.mcpproxy/mcp_config.json.
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export const CONFIG_ENV_VAR = "MCPPROXY_CONFIG";

export interface ResolveConfigPathOptions {
  /** Value of the `--config` flag. */
  flag?: string | undefined;
  /** The environment to read MCPPROXY_CONFIG from (default process.env), or that variable's value itself. */
  env?: string | Readonly<Record<string, string | undefined>> | undefined;
  /** Home directory (default os.homedir()). */
  homeDir?: string | undefined;
}

/** `~/.mcpproxy/mcp_config.json` for the given (or current user's) home directory. */
export function defaultConfigPath(homeDir: string = homedir()): string {
  return join(homeDir, ".mcpproxy", "mcp_config.json");
}

function expandHome(path: string, homeDir: string): string {
  if (path === "~") return homeDir;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(homeDir, path.slice(2));
  return path;
}

/** The absolute config path: flag > MCPPROXY_CONFIG > ~/.mcpproxy/mcp_config.json. Empty values count as unset. */
export function resolveConfigPath(options: ResolveConfigPathOptions = {}): string {
  const homeDir = options.homeDir ?? homedir();
  const env = options.env ?? process.env;
  const fromEnv = typeof env === "string" ? env : env[CONFIG_ENV_VAR];
  const chosen = [options.flag, fromEnv].find((value) => value !== undefined && value.trim() !== "");
  return chosen === undefined ? defaultConfigPath(homeDir) : resolve(expandHome(chosen.trim(), homeDir));
}
