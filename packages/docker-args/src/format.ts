// Printable forms of a DockerRunArgs: a shell line to paste, and argv for logs.
import { MASK, maskDockerArgv, rewriteEnvValues } from "@mcpproxy/docker-grammar";
import type { DockerRunArgs } from "./types.ts";

export { MASK };

const SAFE_TOKEN = /^[A-Za-z0-9_@%+=:,./-]+$/;
const CONTROL = /\p{Cc}/u;

function ansiCQuote(token: string): string {
  let body = "";
  for (const char of token) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\" || char === "'") body += `\\${char}`;
    else if (char === "\n") body += "\\n";
    else if (char === "\t") body += "\\t";
    else if (char === "\r") body += "\\r";
    else if (code < 0x20 || code === 0x7f) body += `\\x${code.toString(16).padStart(2, "0")}`;
    else body += char;
  }
  return `$'${body}'`;
}

/**
 * Quotes one argument for a POSIX shell: bare when it is plainly safe, else in
 * single quotes; with control characters (newline, tab, ...) as `$'...'` (bash,
 * zsh, ksh), so the whole command stays on one line.
 */
export function shellQuote(token: string): string {
  if (token === "") return "''";
  if (SAFE_TOKEN.test(token) && !token.startsWith("=")) return token;
  if (CONTROL.test(token)) return ansiCQuote(token);
  return `'${token.replaceAll("'", `'\\''`)}'`;
}

export interface FormatOptions {
  /** Show env values as `***` (default true). */
  maskSecrets?: boolean | undefined;
  /** The docker executable to print (default `docker`). */
  dockerCommand?: string | undefined;
}

/**
 * One shell-quoted line that runs the same container by hand, e.g. for the
 * "test manually" debugging step. Every env variable appears as `-e KEY=***`,
 * or with its real value when `maskSecrets` is false (then the line is
 * self-contained: it does not depend on the caller's environment).
 */
export function formatDockerCommand(
  result: Pick<DockerRunArgs, "argv" | "env">,
  options: FormatOptions = {},
): string {
  const mask = options.maskSecrets ?? true;
  const argv = rewriteEnvValues(result.argv, (key, inlineValue) => {
    if (inlineValue !== undefined) return mask ? `${key}=${MASK}` : undefined;
    if (!Object.hasOwn(result.env, key)) return undefined;
    return `${key}=${mask ? MASK : (result.env[key] ?? "")}`;
  });
  return [options.dockerCommand ?? "docker", ...argv].map(shellQuote).join(" ");
}

/**
 * argv safe to log (e.g. as `docker_run_args`): env values never appear; names
 * passed as `-e NAME` are already value-free, inline `-e NAME=value` become
 * `NAME=***`, and so do values of options whose name looks secret.
 */
export function dockerRunArgsForLog(result: Pick<DockerRunArgs, "argv">): string[] {
  return maskDockerArgv(result.argv);
}
