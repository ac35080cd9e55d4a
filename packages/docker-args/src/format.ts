// Printable forms of a DockerRunArgs: a shell line to paste, and argv for logs.
import { MASK, maskDockerArgv, rewriteEnvValues, shellQuote } from "@mcpproxy/docker-grammar";
import type { DockerRunArgs } from "./types.ts";

export { MASK, shellQuote };

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
