// Where the Docker Engine API is, found the way the docker CLI finds it, without
// running the CLI: DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), else
// the context named by DOCKER_CONTEXT or config.json's `currentContext`, whose
// endpoint and TLS files live under $DOCKER_CONFIG/contexts/{meta,tls}/<sha256 of
// the name>/; else the platform's default socket or named pipe.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { EngineApiError } from "./errors.ts";

export interface EngineTls {
  /** PEM file paths; each may be absent (the system CAs, no client certificate). */
  ca: string | undefined;
  cert: string | undefined;
  key: string | undefined;
  /** False only for DOCKER_TLS_VERIFY unset with a cert path, or a context with SkipTLSVerify. */
  verify: boolean;
}

export interface EngineEndpoint {
  /** The endpoint as the CLI writes it, e.g. "unix:///var/run/docker.sock", "tcp://10.0.0.2:2376". */
  host: string;
  kind: "unix" | "npipe" | "tcp" | "ssh";
  /** The context it came from ("default" for DOCKER_HOST or the built-in default). */
  context: string;
  /** For unix and npipe. */
  socketPath: string | undefined;
  /** For tcp and ssh. */
  hostname: string | undefined;
  port: number | undefined;
  /** For tcp with TLS. */
  tls: EngineTls | undefined;
}

export interface ResolveEndpointOptions {
  /** Environment to read DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, ... from (default process.env). */
  env?: Record<string, string | undefined> | undefined;
  /** The docker config directory (default $DOCKER_CONFIG or ~/.docker). */
  configDir?: string | undefined;
  platform?: NodeJS.Platform | undefined;
}

const DEFAULT_UNIX_SOCKET = "/var/run/docker.sock";
const DEFAULT_NPIPE = "//./pipe/docker_engine";

function configDirOf(options: ResolveEndpointOptions): string {
  const env = options.env ?? process.env;
  return options.configDir ?? (env["DOCKER_CONFIG"] || path.join(os.homedir(), ".docker"));
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    throw new EngineApiError("ENDPOINT_INVALID", `cannot read ${what} ${file}: ${String(error)}`, {
      cause: error,
    });
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** Parses an endpoint string as the CLI accepts it in DOCKER_HOST or a context. */
export function parseEngineHost(
  host: string,
  context: string,
  tls: EngineTls | undefined,
  platform: NodeJS.Platform = process.platform,
): EngineEndpoint {
  const base = { host, context, socketPath: undefined, hostname: undefined, port: undefined, tls: undefined };
  if (host.startsWith("unix://")) {
    return { ...base, kind: "unix", socketPath: host.slice("unix://".length) || DEFAULT_UNIX_SOCKET };
  }
  if (host.startsWith("npipe://")) {
    // npipe:////./pipe/docker_engine → //./pipe/docker_engine (Node's pipe path form).
    const pipe = host.slice("npipe://".length) || DEFAULT_NPIPE;
    return { ...base, kind: "npipe", socketPath: pipe.replace(/\//g, platform === "win32" ? "\\" : "/") };
  }
  const match = /^(tcp|ssh|http|https):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(host);
  if (match === null) {
    throw new EngineApiError(
      "ENDPOINT_INVALID",
      `the Docker endpoint "${host}" (context ${context}) is not unix://, npipe://, tcp:// or ssh://; fix DOCKER_HOST or the context`,
    );
  }
  const [, scheme, hostname, port] = match;
  const kind = scheme === "ssh" ? "ssh" : "tcp";
  const defaultPort = kind === "ssh" ? 22 : tls === undefined ? 2375 : 2376;
  return {
    ...base,
    kind,
    hostname: hostname?.replace(/^\[|\]$/g, ""),
    port: port === undefined ? defaultPort : Number(port),
    tls: kind === "tcp" ? tls : undefined,
  };
}

function tlsFromEnv(env: Record<string, string | undefined>, configDir: string): EngineTls | undefined {
  const verify = env["DOCKER_TLS_VERIFY"] !== undefined && env["DOCKER_TLS_VERIFY"] !== "";
  const certPath = env["DOCKER_CERT_PATH"] || (verify ? configDir : undefined);
  if (!verify && certPath === undefined) return undefined;
  const file = (name: string): string | undefined => {
    if (certPath === undefined) return undefined;
    const candidate = path.join(certPath, name);
    return existsSync(candidate) ? candidate : undefined;
  };
  return { ca: file("ca.pem"), cert: file("cert.pem"), key: file("key.pem"), verify };
}

/** The context the CLI would use: DOCKER_CONTEXT, else config.json's currentContext, else "default". */
export function currentContextName(options: ResolveEndpointOptions = {}): string {
  const env = options.env ?? process.env;
  const fromEnv = env["DOCKER_CONTEXT"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const configFile = path.join(configDirOf(options), "config.json");
  if (!existsSync(configFile)) return "default";
  const current = record(readJson(configFile, "the docker config")).currentContext;
  return typeof current === "string" && current !== "" ? current : "default";
}

function contextEndpoint(name: string, options: ResolveEndpointOptions): EngineEndpoint {
  const configDir = configDirOf(options);
  const digest = createHash("sha256").update(name).digest("hex");
  const metaFile = path.join(configDir, "contexts", "meta", digest, "meta.json");
  if (!existsSync(metaFile)) {
    throw new EngineApiError(
      "ENDPOINT_INVALID",
      `the docker context "${name}" does not exist (no ${metaFile}); run \`docker context ls\` and \`docker context use\` one of them, or unset DOCKER_CONTEXT`,
    );
  }
  const dockerEndpoint = record(record(record(readJson(metaFile, "the docker context")).Endpoints).docker);
  const host = dockerEndpoint.Host;
  if (typeof host !== "string" || host === "") {
    throw new EngineApiError(
      "ENDPOINT_INVALID",
      `the docker context "${name}" has no docker endpoint (${metaFile})`,
    );
  }
  const tlsDir = path.join(configDir, "contexts", "tls", digest, "docker");
  const file = (pem: string): string | undefined => {
    const candidate = path.join(tlsDir, pem);
    return existsSync(candidate) ? candidate : undefined;
  };
  const skipVerify = dockerEndpoint.SkipTLSVerify === true;
  const hasTls = existsSync(tlsDir) || skipVerify;
  const tls = hasTls
    ? { ca: file("ca.pem"), cert: file("cert.pem"), key: file("key.pem"), verify: !skipVerify }
    : undefined;
  return parseEngineHost(host, name, tls, options.platform);
}

/** The Engine API endpoint the docker CLI would talk to with this environment and config. */
export function resolveEngineEndpoint(options: ResolveEndpointOptions = {}): EngineEndpoint {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const dockerHost = env["DOCKER_HOST"];
  if (dockerHost !== undefined && dockerHost !== "") {
    return parseEngineHost(dockerHost, "default", tlsFromEnv(env, configDirOf(options)), platform);
  }
  const context = currentContextName(options);
  if (context !== "default") return contextEndpoint(context, options);
  const host = platform === "win32" ? `npipe://${DEFAULT_NPIPE}` : `unix://${DEFAULT_UNIX_SOCKET}`;
  return parseEngineHost(host, "default", undefined, platform);
}
