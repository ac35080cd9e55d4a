// ServerConfig + EffectiveIsolation → the exact `docker run` invocation: the
// ContainerSpec rendered as argv (no shell, no I/O).
import type { EffectiveIsolation, ServerConfig } from "@mcpproxy/config";
import { dockerProcessEnv, renderDockerRunArgv } from "./render-argv.ts";
import { buildContainerSpec } from "./spec.ts";
import type { BuildOptions, DockerRunArgs } from "./types.ts";

/**
 * Builds the `docker run` invocation for a server with isolation enabled.
 *
 * argv order: `run -i --rm`, name/label/cidfile flags, `--memory= --cpus= --network=`,
 * `-e NAME`…, `--workdir=`, `-v SPEC`…, hardening flags, extra_args, IMAGE, COMMAND, ARGS….
 * Throws `DockerArgsError` for invalid input; risky but valid input yields `warnings`.
 */
export function buildDockerRunArgs(
  server: ServerConfig,
  settings: EffectiveIsolation,
  options: BuildOptions = {},
): DockerRunArgs {
  const spec = buildContainerSpec(server, settings, options);
  return {
    spec,
    argv: renderDockerRunArgv(spec),
    env: dockerProcessEnv(spec),
    containerName: spec.name,
    labels: spec.labels,
    image: spec.image,
    runtime: spec.runtime,
    warnings: spec.warnings,
  };
}
