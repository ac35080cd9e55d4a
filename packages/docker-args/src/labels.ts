// Container names and labels: how lifecycle (and a human with `docker ps`) finds
// every container the proxy owns.
import { randomBytes } from "node:crypto";

/** Label keys set on every container the proxy starts. */
export const MCPPROXY_LABELS = Object.freeze({
  managedBy: "io.mcpproxy.managed-by",
  server: "io.mcpproxy.server",
  instance: "io.mcpproxy.instance",
  configHash: "io.mcpproxy.config-hash",
} as const);

/** Value of the `io.mcpproxy.managed-by` label. */
export const MANAGED_BY_VALUE = "mcpproxy";

/** Prefix of every container name: `mcpproxy-<server>-<suffix>`. */
export const CONTAINER_NAME_PREFIX = "mcpproxy-";

const MAX_SERVER_PART = 100;

/**
 * The server part of a container name. Docker allows `[a-zA-Z0-9][a-zA-Z0-9_.-]*`:
 * a name already made of those characters is kept as is (so `docker ps | grep
 * mcpproxy-<name>` works); each run of other characters becomes one `-`; a name
 * with no letter or digit left becomes `server`; at most 100 characters are kept.
 */
export function containerNamePart(serverName: string): string {
  const sanitized = serverName.replace(/[^a-zA-Z0-9_.-]+/g, "-").slice(0, MAX_SERVER_PART);
  return /[a-zA-Z0-9]/.test(sanitized) ? sanitized : "server";
}

/** 8 random hex digits. */
export function randomNameSuffix(): string {
  return randomBytes(4).toString("hex");
}

/** `mcpproxy-<sanitized server name>-<suffix>`. */
export function containerName(serverName: string, suffix: string): string {
  return `${CONTAINER_NAME_PREFIX}${containerNamePart(serverName)}-${suffix}`;
}

export interface LabelFilter {
  /** Only this server's containers. */
  server?: string | undefined;
  /** Only containers started by this proxy instance. */
  instanceId?: string | undefined;
  configHash?: string | undefined;
}

/**
 * `--filter label=...` arguments selecting the proxy's containers, for `docker ps -a`:
 * always `managed-by=mcpproxy`, narrowed by whatever `filter` sets.
 */
export function labelFilterArgs(filter: LabelFilter = {}): string[] {
  const pairs: [string, string | undefined][] = [
    [MCPPROXY_LABELS.managedBy, MANAGED_BY_VALUE],
    [MCPPROXY_LABELS.server, filter.server],
    [MCPPROXY_LABELS.instance, filter.instanceId],
    [MCPPROXY_LABELS.configHash, filter.configHash],
  ];
  return pairs.flatMap(([key, value]) => (value === undefined ? [] : ["--filter", `label=${key}=${value}`]));
}
