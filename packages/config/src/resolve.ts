// The isolation settings that apply to one server: server value, else global
// value (defaults are already in the loaded config). Pure.
import { commandBaseName, isContainerRuntimeCommand } from "./command.ts";
import { parseDuration } from "./formats.ts";
import type { EffectiveIsolation, IsolationResolution, McpProxyConfig, ServerConfig } from "./types.ts";

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Whether and how `server` runs in a container.
 *
 * 1. A command that is itself a container runtime (docker, podman, nerdctl, as a path too) is
 *    never isolated, even with `isolation.enabled: true` (Docker-in-Docker prevention).
 * 2. `isolation.enabled: false` on the server turns isolation off for it.
 * 3. `isolation.enabled: true` on the server isolates it even when the global switch is off.
 * 4. Otherwise the server follows `docker_isolation.enabled`.
 */
export function resolveIsolation(config: McpProxyConfig, server: ServerConfig): IsolationResolution {
  const global = config.docker_isolation;
  const own = server.isolation ?? {};
  const timeout_ms = Math.max(1, Math.round(parseDuration(global.timeout)));

  if (isContainerRuntimeCommand(server.command)) {
    const ignored = own.enabled === true ? `; its "isolation.enabled": true is ignored` : "";
    return {
      enabled: false,
      reason: "container-runtime-command",
      detail: `the command \`${commandBaseName(server.command)}\` is itself a container runtime (Docker-in-Docker prevention)${ignored}`,
      timeout_ms,
    };
  }
  if (own.enabled === false) {
    return {
      enabled: false,
      reason: "server-disabled",
      detail: `isolation is turned off for this server ("isolation.enabled": false)`,
      timeout_ms,
    };
  }
  if (own.enabled !== true && !global.enabled) {
    return {
      enabled: false,
      reason: "global-disabled",
      detail: `Docker isolation is off globally ("docker_isolation.enabled": false) and this server does not opt in`,
      timeout_ms,
    };
  }

  // Only when set: unset, the lifecycle applies DEFAULT_PULL_TIMEOUT itself.
  const pullTimeout =
    global.pull_timeout === undefined
      ? {}
      : { pull_timeout_ms: Math.max(1, Math.round(parseDuration(global.pull_timeout))) };
  const effective: EffectiveIsolation = {
    ...pullTimeout,
    enabled: true,
    image: own.image,
    memory_limit: own.memory_limit ?? global.memory_limit,
    cpu_limit: own.cpu_limit ?? global.cpu_limit,
    network_mode: own.network_mode ?? global.network_mode,
    timeout_ms,
    registry: global.registry,
    default_images: { ...global.default_images },
    extra_args: [...global.extra_args, ...(own.extra_args ?? [])],
    working_dir: own.working_dir,
    volumes: [...(own.volumes ?? [])],
    pids_limit: own.pids_limit ?? global.pids_limit,
    read_only: own.read_only ?? global.read_only,
    cap_drop: own.cap_drop !== undefined ? [...own.cap_drop] : global.cap_drop && [...global.cap_drop],
    no_new_privileges: own.no_new_privileges ?? global.no_new_privileges,
    user: own.user ?? global.user,
  };
  return withoutUndefined(effective);
}

/** Whether a server runs from a prepared image: its `isolation.prepare`, else `docker_isolation.prepare` (default false). */
export function resolvePrepare(config: McpProxyConfig, server: ServerConfig): boolean {
  return server.isolation?.prepare ?? config.docker_isolation.prepare ?? false;
}
