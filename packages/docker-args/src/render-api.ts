// ContainerSpec → the Engine API's `POST /containers/create` request (API 1.41),
// filled as the Docker CLI fills it for the argv render-argv.ts prints, so a
// container made either way inspects the same.
import { normalizeCapabilities } from "@mcpproxy/docker-grammar";
import type { ContainerCreateBody } from "./create-request.ts";
import { applyExtraFlag } from "./api-flags.ts";
import { renderedLabels, type RenderOptions } from "./render-argv.ts";
import type { ContainerSpec } from "./types.ts";

/** An extra_args option the create request cannot carry: such a server needs the CLI path. */
export interface NeedsCli {
  /** The option as written (`--env-file=/x`). */
  arg: string;
  reason: string;
}

export interface CreateRequest {
  /** The `name` query parameter (undefined for `byHand`: the engine picks one). */
  name: string | undefined;
  body: ContainerCreateBody;
  /** Empty when the API path reproduces the argv exactly. */
  needsCli: NeedsCli[];
}

function baseBody(spec: ContainerSpec, options: RenderOptions): ContainerCreateBody {
  const removeOnExit = options.byHand === true || (options.removeOnExit ?? spec.removeOnExit);
  return {
    Image: spec.image,
    Cmd: [...spec.command],
    Env: spec.env.map((entry) => `${entry.name}=${entry.value}`),
    Labels: { ...renderedLabels(spec, options) },
    ...(spec.workingDir === undefined ? {} : { WorkingDir: spec.workingDir }),
    ...(spec.user === undefined ? {} : { User: spec.user }),
    // `docker run -i` (attached): stdin kept open for one attach, stdout/stderr attached.
    Tty: false,
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      Memory: spec.memoryBytes,
      NanoCpus: spec.nanoCpus,
      NetworkMode: spec.network,
      ...(spec.volumes.some((volume) => volume.source !== undefined)
        ? { Binds: spec.volumes.filter((volume) => volume.source !== undefined).map((volume) => volume.spec) }
        : {}),
      ...(spec.pidsLimit === undefined ? {} : { PidsLimit: spec.pidsLimit }),
      ...(spec.readOnly ? { ReadonlyRootfs: true } : {}),
      ...(spec.tmpfs.length > 0
        ? { Tmpfs: Object.fromEntries(spec.tmpfs.map((target) => [target, ""])) }
        : {}),
      ...(spec.capDrop.length > 0 ? { CapDrop: [...spec.capDrop] } : {}),
      ...(spec.securityOpt.length > 0 ? { SecurityOpt: [...spec.securityOpt] } : {}),
      AutoRemove: removeOnExit,
      RestartPolicy: { Name: "no", MaximumRetryCount: 0 },
    },
    ...(spec.volumes.some((volume) => volume.source === undefined)
      ? {
          Volumes: Object.fromEntries(
            spec.volumes.filter((volume) => volume.source === undefined).map((volume) => [volume.spec, {}]),
          ),
        }
      : {}),
  };
}

/** `-e` set twice keeps one entry (the first position, the last value), as the CLI does. */
function uniqueEnv(env: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const entry of env) {
    const equals = entry.indexOf("=");
    byName.set(equals < 0 ? entry : entry.slice(0, equals), entry);
  }
  return [...byName.values()];
}

/** The CLI's normalisations of what the flags gave, so both paths send the same. */
function normalizeAsCli(body: ContainerCreateBody): void {
  body.Env = uniqueEnv(body.Env);
  const host = body.HostConfig;
  if (host.CapAdd !== undefined) host.CapAdd = normalizeCapabilities(host.CapAdd);
  if (host.CapDrop !== undefined) host.CapDrop = normalizeCapabilities(host.CapDrop);
}

/**
 * The create request for a spec: `name` for the query string, the JSON `body`,
 * and every extra_args option the API cannot carry (`needsCli`, each with its
 * reason). `options` as for `renderDockerRunArgv` (cidfile has no API form: the
 * create response carries the id).
 */
export function renderCreateRequest(spec: ContainerSpec, options: RenderOptions = {}): CreateRequest {
  const body = baseBody(spec, options);
  const needsCli: NeedsCli[] = [];
  for (const flag of spec.extraFlags) {
    const reason = applyExtraFlag(flag.name, flag.value, body, spec);
    if (reason !== undefined) needsCli.push({ arg: flag.arg, reason });
  }
  normalizeAsCli(body);
  return { name: options.byHand === true ? undefined : spec.name, body, needsCli };
}
