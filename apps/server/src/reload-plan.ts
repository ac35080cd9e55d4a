// What a config change means for the running servers: which to start, stop,
// restart and leave alone. A server is restarted only when its effective
// settings changed: its own command/args/env/working_dir and, when isolated,
// the exact `docker run` it gets (so a global isolation change restarts only
// the isolated servers it affects).
import { createHash } from "node:crypto";
import { resolveIsolation, resolvePrepare, type McpProxyConfig, type ServerConfig } from "@mcpproxy/config";
import { buildDockerRunArgs } from "@mcpproxy/docker-args";

export interface ReloadPlan {
  /** Enabled in the new config, not running before (new, or newly enabled). */
  start: ServerConfig[];
  /** Running before, now removed or disabled. */
  stop: string[];
  /** Running before and still enabled, with changed effective settings. */
  restart: ServerConfig[];
  /** Running before and still enabled, nothing effective changed. */
  keep: string[];
  /** Top-level settings that changed: "tools_mode", "api_key", "listen", "log_level", "log_dir", "data_dir". */
  settings: string[];
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = stable(v);
    }
    return out;
  }
  return value;
}

/**
 * A string that changes exactly when the server would be started differently.
 * Isolated: the `docker run` argv with fixed name suffix and no instance label
 * (image resolution, limits, network, env names, mounts, extra args...), plus
 * env values and the startup timeout. Not isolated: command, args, env, working_dir, inherit_env.
 */
export function effectiveFingerprint(config: McpProxyConfig, server: ServerConfig): string {
  const isolation = resolveIsolation(config, server);
  const base = { command: server.command, args: server.args, env: server.env };
  let effective: unknown;
  if (!isolation.enabled) {
    effective = {
      ...base,
      working_dir: server.working_dir,
      inherit_env: server.inherit_env === true,
      isolation: { enabled: false, reason: isolation.reason },
    };
  } else {
    let docker: unknown;
    try {
      const run = buildDockerRunArgs(server, isolation, { nameSuffix: "fingerprint" });
      docker = { argv: run.argv, env: run.env };
    } catch (error) {
      // Invalid settings fail at start; the fingerprint still tells them apart.
      docker = { invalid: error instanceof Error ? error.message : String(error), isolation };
    }
    // Turning prepare on or off changes what runs (the prepared image or the runner).
    effective = {
      ...base,
      docker,
      timeout_ms: isolation.timeout_ms,
      prepare: resolvePrepare(config, server),
    };
  }
  return JSON.stringify(stable(effective));
}

/** A short hash of the fingerprint, for the container's config-hash label. */
export function configHashOf(config: McpProxyConfig, server: ServerConfig): string {
  return createHash("sha256").update(effectiveFingerprint(config, server)).digest("hex").slice(0, 12);
}

const SETTINGS = ["tools_mode", "api_key", "listen", "log_level", "log_dir", "data_dir"] as const;

export function planReload(previous: McpProxyConfig, next: McpProxyConfig): ReloadPlan {
  const before = new Map(previous.mcpServers.filter((s) => s.enabled).map((s) => [s.name, s]));
  const plan: ReloadPlan = { start: [], stop: [], restart: [], keep: [], settings: [] };
  const stillEnabled = new Set<string>();
  for (const server of next.mcpServers) {
    if (!server.enabled) continue;
    stillEnabled.add(server.name);
    const old = before.get(server.name);
    if (!old) plan.start.push(server);
    else if (effectiveFingerprint(previous, old) !== effectiveFingerprint(next, server))
      plan.restart.push(server);
    else plan.keep.push(server.name);
  }
  for (const name of before.keys()) if (!stillEnabled.has(name)) plan.stop.push(name);
  for (const key of SETTINGS) if (previous[key] !== next[key]) plan.settings.push(key);
  return plan;
}
