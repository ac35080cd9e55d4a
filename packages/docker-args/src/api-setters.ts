// Value conversions and setters behind API_FLAGS (api-flags.ts): each fills the
// create request from one option's value as the Docker CLI would, or says why not.
import { parseDuration } from "@mcpproxy/config";
import { booleanValue, memoryBytes, parseMountSpec, parseVolumeSpec } from "@mcpproxy/docker-grammar";
import type {
  ContainerCreateBody,
  CreateEndpointConfig,
  CreateHostConfig,
  CreateMount,
} from "./create-request.ts";
import type { ContainerSpec } from "./types.ts";

/** Fills `body` from one option's value; returns a reason when the API cannot express it. */
export type Apply = (value: string, body: ContainerCreateBody, spec: ContainerSpec) => string | undefined;

export class Unmappable extends Error {}

export function int(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new Unmappable(`${JSON.stringify(value)} is not an integer`);
  return Number(value);
}

export function bytes(value: string): number {
  const result = memoryBytes(value);
  if (result === undefined) throw new Unmappable(`${JSON.stringify(value)} is not a size`);
  return result;
}

export function nanoseconds(value: string): number {
  try {
    return parseDuration(value) * 1e6;
  } catch (error) {
    throw new Unmappable(`${JSON.stringify(value)} is not a duration`, { cause: error });
  }
}

export function host(body: ContainerCreateBody): CreateHostConfig {
  return body.HostConfig;
}

export function append(list: string[] | undefined, value: string): string[] {
  return [...(list ?? []), value];
}

export function keyValue(value: string): [string, string] {
  const equals = value.indexOf("=");
  return equals < 0 ? [value, ""] : [value.slice(0, equals), value.slice(equals + 1)];
}

/** Sets one HostConfig field from the value. */
export function hostField<K extends keyof CreateHostConfig>(
  key: K,
  convert: (value: string) => CreateHostConfig[K],
): Apply {
  return (value, body) => {
    host(body)[key] = convert(value);
    return undefined;
  };
}

/** Appends the value to a HostConfig string list. */
export function hostList(
  key:
    | "CapAdd"
    | "CapDrop"
    | "SecurityOpt"
    | "GroupAdd"
    | "Dns"
    | "DnsOptions"
    | "DnsSearch"
    | "ExtraHosts"
    | "Links"
    | "DeviceCgroupRules"
    | "VolumesFrom",
): Apply {
  return (value, body) => {
    host(body)[key] = append(host(body)[key], value);
    return undefined;
  };
}

export function throttle(
  key: "BlkioDeviceReadBps" | "BlkioDeviceWriteBps" | "BlkioDeviceReadIOps" | "BlkioDeviceWriteIOps",
  rate: (text: string) => number,
): Apply {
  return (value, body) => {
    const colon = value.lastIndexOf(":");
    if (colon <= 0) return `${JSON.stringify(value)} is not DEVICE:RATE`;
    host(body)[key] = [
      ...(host(body)[key] ?? []),
      { Path: value.slice(0, colon), Rate: rate(value.slice(colon + 1)) },
    ];
    return undefined;
  };
}

export function endpoint(body: ContainerCreateBody, spec: ContainerSpec): CreateEndpointConfig {
  const network = body.HostConfig.NetworkMode ?? spec.network;
  body.NetworkingConfig ??= { EndpointsConfig: {} };
  return (body.NetworkingConfig.EndpointsConfig[network] ??= {});
}

export function setEnv(value: string, body: ContainerCreateBody, spec: ContainerSpec): string | undefined {
  if (value.includes("=")) {
    body.Env.push(value);
    return undefined;
  }
  const known = spec.env.find((entry) => entry.name === value);
  if (known === undefined) return "`-e NAME` without a value takes it from the docker CLI's own environment";
  body.Env.push(`${value}=${known.value}`);
  return undefined;
}

export function setVolume(value: string, body: ContainerCreateBody): string | undefined {
  const parsed = parseVolumeSpec(value);
  if (parsed.source === undefined) body.Volumes = { ...body.Volumes, [value]: {} };
  else host(body).Binds = append(host(body).Binds, value);
  return undefined;
}

export const MOUNT_KEYS = new Set([
  "type",
  "source",
  "src",
  "target",
  "destination",
  "dst",
  "readonly",
  "ro",
  "bind-propagation",
  "volume-nocopy",
  "tmpfs-size",
  "tmpfs-mode",
]);

export function setMount(value: string, body: ContainerCreateBody): string | undefined {
  const parsed = parseMountSpec(value);
  const unknown = [...parsed.fields.keys()].find((key) => !MOUNT_KEYS.has(key));
  if (unknown !== undefined)
    return `--mount option ${JSON.stringify(unknown)} is only translated by the docker CLI`;
  if (parsed.target === undefined) return "--mount needs a target";
  const mount: CreateMount = { Type: parsed.type, Target: parsed.target };
  if (parsed.source !== undefined) mount.Source = parsed.source;
  if (parsed.readOnly) mount.ReadOnly = true;
  const propagation = parsed.fields.get("bind-propagation");
  if (propagation !== undefined) mount.BindOptions = { Propagation: propagation };
  if (parsed.fields.has("volume-nocopy"))
    mount.VolumeOptions = { NoCopy: booleanValue(parsed.fields.get("volume-nocopy") || undefined) === true };
  const size = parsed.fields.get("tmpfs-size");
  const mode = parsed.fields.get("tmpfs-mode");
  if (size !== undefined || mode !== undefined) {
    mount.TmpfsOptions = {
      ...(size === undefined ? {} : { SizeBytes: bytes(size) }),
      ...(mode === undefined ? {} : { Mode: Number.parseInt(mode, 8) }),
    };
  }
  host(body).Mounts = [...(host(body).Mounts ?? []), mount];
  return undefined;
}

export function setPublish(value: string, body: ContainerCreateBody): string | undefined {
  // [ip:][hostPort]:containerPort[/proto] — single ports only; ranges need the CLI's expansion.
  const match =
    /^(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(\d*):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(value);
  if (match === null)
    return `--publish ${JSON.stringify(value)} (ranges, names) is only expanded by the docker CLI`;
  const port = `${match[3]}/${match[4] ?? "tcp"}`;
  body.ExposedPorts = { ...body.ExposedPorts, [port]: {} };
  const bindings = host(body).PortBindings ?? {};
  bindings[port] = [
    ...(bindings[port] ?? []),
    { HostIp: (match[1] ?? "").replace(/^\[|\]$/g, ""), HostPort: match[2] ?? "" },
  ];
  host(body).PortBindings = bindings;
  return undefined;
}

export function setUlimit(value: string, body: ContainerCreateBody): string | undefined {
  const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(value);
  if (match === null) return `--ulimit ${JSON.stringify(value)} is not NAME=SOFT[:HARD]`;
  const soft = Number(match[2]);
  host(body).Ulimits = [
    ...(host(body).Ulimits ?? []),
    { Name: match[1] ?? "", Soft: soft, Hard: match[3] === undefined ? soft : Number(match[3]) },
  ];
  return undefined;
}

export function setSecurityOpt(value: string, body: ContainerCreateBody): string | undefined {
  const [key, option] = value.includes("=")
    ? keyValue(value)
    : [value.split(":")[0] ?? "", value.split(":")[1] ?? ""];
  if (key === "seccomp" && option !== "unconfined")
    return "--security-opt seccomp=PROFILE_FILE: the docker CLI reads the profile file";
  host(body).SecurityOpt = append(host(body).SecurityOpt, value);
  return undefined;
}

export function setNetwork(
  value: string,
  body: ContainerCreateBody,
  spec: ContainerSpec,
): string | undefined {
  if (value === spec.network) return undefined;
  return `a second network (${value} besides ${spec.network}): the engine attaches both (API ≥ 1.44) or refuses it`;
}

export function setBoolean(apply: (on: boolean, body: ContainerCreateBody) => void): Apply {
  return (value, body) => {
    const on = booleanValue(value);
    if (on === undefined) return `${JSON.stringify(value)} is not a boolean`;
    apply(on, body);
    return undefined;
  };
}

export function setHealth(key: "Test" | "Interval" | "Timeout" | "StartPeriod" | "Retries"): Apply {
  return (value, body) => {
    const health = (body.Healthcheck ??= {});
    if (key === "Test") health.Test = ["CMD-SHELL", value];
    else if (key === "Retries") health.Retries = int(value);
    else health[key] = nanoseconds(value);
    return undefined;
  };
}
