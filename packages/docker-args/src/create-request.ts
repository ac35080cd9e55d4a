// The shape of an Engine API `POST /containers/create` body (API 1.41), as far
// as the proxy fills it. Field names are the engine's (Config + HostConfig +
// NetworkingConfig in one JSON object).

export interface CreateHostConfig {
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number;
  KernelMemory?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  CpuCount?: number;
  CpuPercent?: number;
  BlkioWeight?: number;
  BlkioWeightDevice?: { Path: string; Weight: number }[];
  BlkioDeviceReadBps?: { Path: string; Rate: number }[];
  BlkioDeviceWriteBps?: { Path: string; Rate: number }[];
  BlkioDeviceReadIOps?: { Path: string; Rate: number }[];
  BlkioDeviceWriteIOps?: { Path: string; Rate: number }[];
  PidsLimit?: number;
  NetworkMode?: string;
  Binds?: string[];
  Mounts?: CreateMount[];
  Tmpfs?: Record<string, string>;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  SecurityOpt?: string[];
  Privileged?: boolean;
  AutoRemove?: boolean;
  Init?: boolean;
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  UsernsMode?: string;
  CgroupnsMode?: string;
  CgroupParent?: string;
  ShmSize?: number;
  GroupAdd?: string[];
  Dns?: string[];
  DnsOptions?: string[];
  DnsSearch?: string[];
  ExtraHosts?: string[];
  Links?: string[];
  Sysctls?: Record<string, string>;
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
  OomKillDisable?: boolean;
  OomScoreAdj?: number;
  Runtime?: string;
  Isolation?: string;
  LogConfig?: { Type: string; Config: Record<string, string> };
  RestartPolicy?: { Name: string; MaximumRetryCount: number };
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
  DeviceCgroupRules?: string[];
  PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
  PublishAllPorts?: boolean;
  VolumesFrom?: string[];
  VolumeDriver?: string;
  StorageOpt?: Record<string, string>;
}

export interface CreateMount {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: { NoCopy?: boolean };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface CreateEndpointConfig {
  Aliases?: string[];
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
}

/** `POST /containers/create` body. */
export interface ContainerCreateBody {
  Image: string;
  Cmd: string[];
  Entrypoint?: string[];
  Env: string[];
  Labels: Record<string, string>;
  WorkingDir?: string;
  User?: string;
  Hostname?: string;
  Domainname?: string;
  MacAddress?: string;
  StopSignal?: string;
  StopTimeout?: number;
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  Healthcheck?: {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    StartPeriod?: number;
    Retries?: number;
  };
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  HostConfig: CreateHostConfig;
  NetworkingConfig?: { EndpointsConfig: Record<string, CreateEndpointConfig> };
}
