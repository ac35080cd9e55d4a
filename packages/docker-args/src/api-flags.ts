// How each `docker run` option that extra_args may carry lands in the Engine
// API create request, as the Docker CLI itself would fill it; or why it cannot
// (then that server needs the CLI path). One entry per option, long name.
import { nanoCpus, parseTmpfsSpec } from "@mcpproxy/docker-grammar";
import {
  type Apply,
  Unmappable,
  append,
  bytes,
  endpoint,
  host,
  hostField,
  hostList,
  int,
  keyValue,
  setBoolean,
  setEnv,
  setHealth,
  setMount,
  setNetwork,
  setPublish,
  setSecurityOpt,
  setUlimit,
  setVolume,
  throttle,
} from "./api-setters.ts";
import type { ContainerCreateBody } from "./create-request.ts";
import type { ContainerSpec } from "./types.ts";

const CLIENT_ONLY = "it only changes what the docker CLI does, not the container";

/** Every `docker run` option by long name → how it maps, or (a string) why it needs the CLI. */
export const API_FLAGS: Readonly<Record<string, Apply | string>> = {
  "add-host": hostList("ExtraHosts"),
  annotation: "annotations need Engine API 1.43",
  attach: CLIENT_ONLY,
  "blkio-weight": hostField("BlkioWeight", int),
  "blkio-weight-device": (value, body) => {
    const [path = "", weight = ""] = [
      value.slice(0, value.lastIndexOf(":")),
      value.slice(value.lastIndexOf(":") + 1),
    ];
    host(body).BlkioWeightDevice = [
      ...(host(body).BlkioWeightDevice ?? []),
      { Path: path, Weight: int(weight) },
    ];
    return undefined;
  },
  "cap-add": hostList("CapAdd"),
  "cap-drop": hostList("CapDrop"),
  "cgroup-parent": hostField("CgroupParent", String),
  cgroupns: hostField("CgroupnsMode", String),
  "cpu-count": hostField("CpuCount", int),
  "cpu-percent": hostField("CpuPercent", int),
  "cpu-period": hostField("CpuPeriod", int),
  "cpu-quota": hostField("CpuQuota", int),
  "cpu-rt-period": hostField("CpuRealtimePeriod", int),
  "cpu-rt-runtime": hostField("CpuRealtimeRuntime", int),
  "cpu-shares": hostField("CpuShares", int),
  cpus: hostField("NanoCpus", (value) => {
    const nano = nanoCpus(value);
    if (nano === undefined) throw new Unmappable(`${JSON.stringify(value)} is not a number of CPUs`);
    return nano;
  }),
  cidfile: "lifecycle owns the cidfile",
  "cpuset-cpus": hostField("CpusetCpus", String),
  "cpuset-mems": hostField("CpusetMems", String),
  detach: CLIENT_ONLY,
  device: (value, body) => {
    const [onHost = "", inContainer, permissions] = value.split(":");
    host(body).Devices = [
      ...(host(body).Devices ?? []),
      { PathOnHost: onHost, PathInContainer: inContainer ?? onHost, CgroupPermissions: permissions ?? "rwm" },
    ];
    return undefined;
  },
  "device-cgroup-rule": hostList("DeviceCgroupRules"),
  "device-read-bps": throttle("BlkioDeviceReadBps", bytes),
  "device-read-iops": throttle("BlkioDeviceReadIOps", int),
  "device-write-bps": throttle("BlkioDeviceWriteBps", bytes),
  "device-write-iops": throttle("BlkioDeviceWriteIOps", int),
  "disable-content-trust": CLIENT_ONLY,
  dns: hostList("Dns"),
  "dns-option": hostList("DnsOptions"),
  "dns-search": hostList("DnsSearch"),
  domainname: (value, body) => void (body.Domainname = value),
  entrypoint: (value, body) => void (body.Entrypoint = [value]),
  env: setEnv,
  "env-file": "the docker CLI reads the env file on the client side",
  expose: (value, body) => {
    if (!/^\d+(?:\/(tcp|udp|sctp))?$/.test(value))
      return `--expose ${JSON.stringify(value)} (a range) is only expanded by the docker CLI`;
    body.ExposedPorts = { ...body.ExposedPorts, [value.includes("/") ? value : `${value}/tcp`]: {} };
    return undefined;
  },
  gpus: "GPU requests are translated to DeviceRequests by the docker CLI",
  "group-add": hostList("GroupAdd"),
  "health-cmd": setHealth("Test"),
  "health-interval": setHealth("Interval"),
  "health-retries": setHealth("Retries"),
  "health-start-interval": "needs Engine API 1.44",
  "health-start-period": setHealth("StartPeriod"),
  "health-timeout": setHealth("Timeout"),
  help: CLIENT_ONLY,
  hostname: (value, body) => void (body.Hostname = value),
  init: setBoolean((on, body) => void (host(body).Init = on)),
  interactive: CLIENT_ONLY,
  "io-maxbandwidth": "Windows only",
  "io-maxiops": "Windows only",
  ip: (value, body, spec) =>
    void (endpoint(body, spec).IPAMConfig = { ...endpoint(body, spec).IPAMConfig, IPv4Address: value }),
  ip6: (value, body, spec) =>
    void (endpoint(body, spec).IPAMConfig = { ...endpoint(body, spec).IPAMConfig, IPv6Address: value }),
  ipc: hostField("IpcMode", String),
  isolation: hostField("Isolation", String),
  "kernel-memory": hostField("KernelMemory", bytes),
  label: (value, body) => {
    const [key, text] = keyValue(value);
    body.Labels[key] = text;
    return undefined;
  },
  "label-file": "the docker CLI reads the label file on the client side",
  link: hostList("Links"),
  "link-local-ip": (value, body, spec) => {
    const ipam = endpoint(body, spec).IPAMConfig ?? {};
    endpoint(body, spec).IPAMConfig = { ...ipam, LinkLocalIPs: append(ipam.LinkLocalIPs, value) };
    return undefined;
  },
  "log-driver": (value, body) =>
    void (host(body).LogConfig = { Type: value, Config: host(body).LogConfig?.Config ?? {} }),
  "log-opt": (value, body) => {
    const [key, text] = keyValue(value);
    const log = host(body).LogConfig ?? { Type: "", Config: {} };
    host(body).LogConfig = { Type: log.Type, Config: { ...log.Config, [key]: text } };
    return undefined;
  },
  name: "lifecycle names the container",
  "mac-address": (value, body) => void (body.MacAddress = value),
  memory: hostField("Memory", bytes),
  "memory-reservation": hostField("MemoryReservation", bytes),
  "memory-swap": hostField("MemorySwap", (value) => (value === "-1" ? -1 : bytes(value))),
  "memory-swappiness": hostField("MemorySwappiness", int),
  mount: setMount,
  net: setNetwork,
  "net-alias": (value, body, spec) =>
    void (endpoint(body, spec).Aliases = append(endpoint(body, spec).Aliases, value)),
  network: setNetwork,
  "network-alias": (value, body, spec) =>
    void (endpoint(body, spec).Aliases = append(endpoint(body, spec).Aliases, value)),
  "no-healthcheck": setBoolean((on, body) => {
    if (on) body.Healthcheck = { Test: ["NONE"] };
  }),
  "oom-kill-disable": setBoolean((on, body) => void (host(body).OomKillDisable = on)),
  "oom-score-adj": hostField("OomScoreAdj", int),
  pid: hostField("PidMode", String),
  "pids-limit": hostField("PidsLimit", int),
  platform:
    "the platform is a query parameter of the create call and a pull option; the docker CLI handles both",
  privileged: setBoolean((on, body) => void (host(body).Privileged = on)),
  publish: setPublish,
  "publish-all": setBoolean((on, body) => void (host(body).PublishAllPorts = on)),
  pull: "the pull policy is the docker CLI's",
  quiet: CLIENT_ONLY,
  "read-only": setBoolean((on, body) => void (host(body).ReadonlyRootfs = on)),
  restart: (value, body) => {
    const [name = "", retries] = value.split(":");
    host(body).RestartPolicy = { Name: name, MaximumRetryCount: retries === undefined ? 0 : int(retries) };
    return undefined;
  },
  rm: setBoolean((on, body) => void (host(body).AutoRemove = on)),
  runtime: hostField("Runtime", String),
  "security-opt": setSecurityOpt,
  "shm-size": hostField("ShmSize", bytes),
  "sig-proxy": CLIENT_ONLY,
  "stop-signal": (value, body) => void (body.StopSignal = value),
  "stop-timeout": (value, body) => void (body.StopTimeout = int(value)),
  "storage-opt": (value, body) => {
    const [key, text] = keyValue(value);
    host(body).StorageOpt = { ...host(body).StorageOpt, [key]: text };
    return undefined;
  },
  sysctl: (value, body) => {
    const [key, text] = keyValue(value);
    host(body).Sysctls = { ...host(body).Sysctls, [key]: text };
    return undefined;
  },
  tmpfs: (value, body) => {
    const { target, options } = parseTmpfsSpec(value);
    host(body).Tmpfs = { ...host(body).Tmpfs, [target]: options };
    return undefined;
  },
  tty: setBoolean((on, body) => void (body.Tty = on)),
  ulimit: setUlimit,
  "use-api-socket": "the docker CLI sets up the API socket mount and credentials itself",
  user: (value, body) => void (body.User = value),
  userns: hostField("UsernsMode", String),
  uts: hostField("UTSMode", String),
  volume: setVolume,
  "volume-driver": hostField("VolumeDriver", String),
  "volumes-from": hostList("VolumesFrom"),
  workdir: (value, body) => void (body.WorkingDir = value),
};

/** Applies one extra_args option to `body`; returns why it needs the CLI, or undefined when mapped. */
export function applyExtraFlag(
  name: string,
  value: string | undefined,
  body: ContainerCreateBody,
  spec: ContainerSpec,
): string | undefined {
  const entry = Object.hasOwn(API_FLAGS, name) ? API_FLAGS[name] : undefined;
  if (entry === undefined) return `--${name} is not a docker run option this proxy knows`;
  if (typeof entry === "string") return entry;
  try {
    return entry(value ?? "true", body, spec);
  } catch (error) {
    if (error instanceof Unmappable) return error.message;
    throw error;
  }
}
