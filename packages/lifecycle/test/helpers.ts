// Shared test setup: server configs, isolation settings, waits, and cleanup of
// every container this test run started (found by instance-id prefix).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DisabledIsolation, EffectiveIsolation, ServerConfig } from "@mcpproxy/config";
import {
  listManagedContainers,
  removeContainers,
  type ServerHandle,
  type ServerState,
} from "../src/index.ts";

/** Every instance id of this run starts with this, so cleanup never touches other runs or suites. */
export const RUN_PREFIX = `lctest-${randomBytes(3).toString("hex")}`;

/** A crash-restart policy quick enough for tests: 20 ms first backoff, 100 ms at most. */
export const FAST_RESTARTS = { initialDelayMs: 20, maxDelayMs: 100, stableAfterMs: 60_000 };

export function instanceId(label: string): string {
  return `${RUN_PREFIX}-${label}`;
}

/** The everything server's entry point on the host (for non-isolated servers). */
export const EVERYTHING_ENTRY = fileURLToPath(
  new URL(
    "../../../tests/fixtures/images/everything/node_modules/@modelcontextprotocol/server-everything/dist/index.js",
    import.meta.url,
  ),
);

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export function serverConfig(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): ServerConfig {
  return { name, command, args, env, enabled: true };
}

export function isolated(image: string, overrides: Partial<EffectiveIsolation> = {}): EffectiveIsolation {
  return {
    enabled: true,
    image,
    memory_limit: "256m",
    cpu_limit: "1.0",
    network_mode: "none",
    timeout_ms: 20_000,
    registry: "docker.io",
    default_images: {},
    extra_args: [],
    volumes: [],
    ...overrides,
  };
}

export function notIsolated(timeout_ms = 20_000): DisabledIsolation {
  return {
    enabled: false,
    reason: "server-disabled",
    detail: "isolation is turned off for this server",
    timeout_ms,
  };
}

/**
 * Resolves once the handle is in `state`: now, or at the state event that enters it (a poll
 * could miss a brief state such as `restarting` with a short backoff). The bound only has to stay
 * below the 120 s test timeout: a loaded run can take tens of seconds for a few container starts.
 */
export function waitForState(handle: ServerHandle, state: ServerState, timeoutMs = 100_000): Promise<true> {
  if (handle.state === state) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const onState = (next: ServerState): void => {
      if (next !== state) return;
      clearTimeout(timer);
      handle.off("state", onState);
      resolve(true);
    };
    const timer = setTimeout(() => {
      handle.off("state", onState);
      const what = `${handle.name} to be ${state} (is ${handle.state})`;
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    handle.on("state", onState);
  });
}

/** Containers of this test run (any instance id with RUN_PREFIX). */
export async function runContainers(): Promise<string[]> {
  const containers = await listManagedContainers();
  return containers
    .filter((container) => container.instanceId?.startsWith(RUN_PREFIX) === true)
    .map((container) => container.id);
}

/** Removes whatever this run left (for afterAll) and returns how many there were. */
export async function removeRunContainers(): Promise<number> {
  const ids = await runContainers();
  await removeContainers(ids);
  return ids.length;
}

/** Source of test/fixtures/tiny-server.js, passed to `node -e` inside containers (nothing is mounted). */
export const TINY_SERVER_SOURCE = readFileSync(fixture("tiny-server.js"), "utf8");

export type TinyMode = "serve" | "garbage" | "crash-after-init";

/** The tiny server, run in a container from the node image. */
export function tinyServer(name: string, mode: TinyMode): ServerConfig {
  return serverConfig(name, "node", ["--input-type=module", "-e", TINY_SERVER_SOURCE, mode]);
}

/** The tiny server as a host process. */
export function tinyHostServer(name: string, mode: TinyMode): ServerConfig {
  return serverConfig(name, process.execPath, [fixture("tiny-server.js"), mode]);
}

/** Ids of the containers of one test instance (see instanceId). */
export async function instanceContainers(label: string): Promise<string[]> {
  const containers = await listManagedContainers({ instanceId: instanceId(label) });
  return containers.map((container) => container.id);
}
