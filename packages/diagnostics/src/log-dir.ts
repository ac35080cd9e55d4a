// Where logs live on each platform, and the per-server file names.
import os from "node:os";
import path from "node:path";

export interface LogDirOptions {
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform | undefined;
  /** Defaults to process.env. */
  env?: Record<string, string | undefined> | undefined;
  /** Defaults to os.homedir(). */
  homedir?: string | undefined;
}

/**
 * The platform's log directory for MCPProxy:
 * - macOS: `~/Library/Logs/mcpproxy`
 * - Windows: `%LOCALAPPDATA%\mcpproxy\logs` (falls back to `~\AppData\Local\mcpproxy\logs`)
 * - Linux and other Unixes: `$XDG_STATE_HOME/mcpproxy/logs`, else `~/.local/state/mcpproxy/logs`.
 *   A relative XDG_STATE_HOME is ignored, as the XDG base directory spec requires.
 */
export function defaultLogDir(options: LogDirOptions = {}): string {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const home = options.homedir ?? os.homedir();
  if (platform === "darwin") return path.posix.join(home, "Library", "Logs", "mcpproxy");
  if (platform === "win32") {
    const localAppData = nonEmpty(env["LOCALAPPDATA"]) ?? path.win32.join(home, "AppData", "Local");
    return path.win32.join(localAppData, "mcpproxy", "logs");
  }
  const xdgState = nonEmpty(env["XDG_STATE_HOME"]);
  const stateHome =
    xdgState !== undefined && path.posix.isAbsolute(xdgState)
      ? xdgState
      : path.posix.join(home, ".local", "state");
  return path.posix.join(stateHome, "mcpproxy", "logs");
}

/**
 * The log directory to use for a loaded config: `log_dir` when set (a leading
 * `~` is expanded to the home directory), else {@link defaultLogDir}.
 */
export function resolveLogDir(config: { log_dir?: string | undefined }, options: LogDirOptions = {}): string {
  const configured = nonEmpty(config.log_dir);
  if (configured === undefined) return defaultLogDir(options);
  const home = options.homedir ?? os.homedir();
  if (configured === "~") return home;
  if (configured.startsWith("~/") || configured.startsWith("~\\"))
    return path.join(home, configured.slice(2));
  return configured;
}

/**
 * The file-name form of a server name: characters other than letters, digits,
 * `.`, `_` and `-` become `_`. Config-valid names are usually unchanged.
 */
export function logFileSafeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** `server-<name>.log`, the per-server log file name. */
export function serverLogFileName(name: string): string {
  return `server-${logFileSafeName(name)}.log`;
}

export const MAIN_LOG_FILE_NAME = "main.log";

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
