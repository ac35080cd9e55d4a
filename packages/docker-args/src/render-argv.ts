// ContainerSpec → `docker run` argv, in the spec's literal order:
// `run -i --rm`, name/label/cidfile flags, `--memory= --cpus= --network=`,
// `-e NAME`…, `--workdir=`, `-v SPEC`…, hardening flags, extra_args, IMAGE, COMMAND, ARGS….
import { MCPPROXY_LABELS } from "./labels.ts";
import type { ContainerSpec } from "./types.ts";

export interface RenderOptions {
  /** `--rm` (default: the spec's `removeOnExit`, true). Lifecycle passes false to inspect exited containers. */
  removeOnExit?: boolean | undefined;
  /** `--cidfile=PATH` (default: the spec's `cidFile`). */
  cidFile?: string | undefined;
  /**
   * A command for a person to run by hand next to the proxy: no `--name` (Docker
   * picks a fresh one, so it never clashes with the running container), no
   * cidfile, `--rm`, and only the `io.mcpproxy.server` label (without
   * `managed-by`, the proxy's orphan sweep leaves it alone).
   */
  byHand?: boolean | undefined;
}

/** Labels the rendering carries: all of them, or for `byHand` only the server label. */
export function renderedLabels(spec: ContainerSpec, options: RenderOptions = {}): Record<string, string> {
  if (options.byHand !== true) return spec.labels;
  const server = spec.labels[MCPPROXY_LABELS.server];
  return server === undefined ? {} : { [MCPPROXY_LABELS.server]: server };
}

function managedFlags(spec: ContainerSpec, options: RenderOptions): string[] {
  const byHand = options.byHand === true;
  const flags = byHand ? [] : [`--name=${spec.name}`];
  for (const [key, value] of Object.entries(renderedLabels(spec, options)))
    flags.push(`--label=${key}=${value}`);
  const cidFile = byHand ? undefined : (options.cidFile ?? spec.cidFile);
  if (cidFile !== undefined) flags.push(`--cidfile=${cidFile}`);
  return flags;
}

function hardeningFlags(spec: ContainerSpec): string[] {
  const flags: string[] = [];
  if (spec.pidsLimit !== undefined) flags.push(`--pids-limit=${spec.pidsLimit}`);
  if (spec.readOnly) flags.push("--read-only");
  for (const target of spec.tmpfs) flags.push(`--tmpfs=${target}`);
  for (const capability of spec.capDrop) flags.push(`--cap-drop=${capability}`);
  for (const option of spec.securityOpt) flags.push(`--security-opt=${option}`);
  if (spec.user !== undefined) flags.push(`--user=${spec.user}`);
  return flags;
}

/** The `docker run` argv (starts with "run"; never run through a shell). Env values stay out except `inline` ones. */
export function renderDockerRunArgv(spec: ContainerSpec, options: RenderOptions = {}): string[] {
  const remove = options.byHand === true || (options.removeOnExit ?? spec.removeOnExit);
  return [
    "run",
    "-i",
    ...(remove ? ["--rm"] : []),
    ...managedFlags(spec, options),
    `--memory=${spec.memory}`,
    `--cpus=${spec.cpus}`,
    `--network=${spec.network}`,
    ...spec.env.flatMap((env) => ["-e", env.inline ? `${env.name}=${env.value}` : env.name]),
    ...(spec.workingDir === undefined ? [] : [`--workdir=${spec.workingDir}`]),
    ...spec.volumes.flatMap((volume) => ["-v", volume.spec]),
    ...hardeningFlags(spec),
    ...spec.extraArgs,
    spec.image,
    ...spec.command,
  ];
}

/** Environment the `docker` process must be given for `-e NAME` entries (merged over its own). */
export function dockerProcessEnv(spec: ContainerSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of spec.env) {
    if (entry.inline) continue;
    // defineProperty also stores keys such as `__proto__`.
    Object.defineProperty(env, entry.name, {
      value: entry.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return env;
}
