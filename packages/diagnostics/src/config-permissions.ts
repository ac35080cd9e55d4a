// The doctor's check of the config file's permissions: it holds the api_key and
// often server tokens in `env`, so only its owner may read it. POSIX only (on
// Windows the mode bits say nothing about other users).
import { stat } from "node:fs/promises";
import { shellQuote } from "@mcpproxy/docker-grammar";

export interface ConfigPermissionWarning {
  code: "config-readable-by-others";
  /** One line naming the problem. */
  title: string;
  /** The facts: path and mode. */
  evidence: string[];
  /** The command that fixes it. */
  fix: string;
}

/** "0644" */
function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

/**
 * A warning when the config file (after symlinks) can be read or written by its group or
 * by others; undefined when it is owner-only, missing, or on Windows.
 */
export async function checkConfigPermissions(
  configPath: string,
  platform: NodeJS.Platform = process.platform,
): Promise<ConfigPermissionWarning | undefined> {
  if (platform === "win32") return undefined;
  let mode: number;
  try {
    mode = (await stat(configPath)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const exposed = mode & 0o077;
  if (exposed === 0) return undefined;
  const who = mode & 0o044 ? "read" : "written";
  return {
    code: "config-readable-by-others",
    title: `the config file can be ${who} by other users (mode ${octal(mode)}); it holds the api_key and server secrets`,
    evidence: [`${configPath}: mode ${octal(mode)}`],
    fix: `chmod 600 ${shellQuote(configPath)}  (then rotate "api_key" if others may have read it)`,
  };
}
