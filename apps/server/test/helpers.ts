// Shared helpers of the server's end-to-end tests: temp configs, a proxy
// started on them, REST calls, waiting, and the containers of one instance.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { containersWithLabel } from "@mcpproxy/test-images";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createTempDir, waitFor } from "@mcpproxy/test-helpers";
import { startProxy, type RunningProxy, type StartProxyOptions } from "../src/index.ts";

// The shared helpers, re-exported for the tests that import them from here.
export { connectClient, textOf, uniqueName, waitFor } from "@mcpproxy/test-helpers";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** The everything server's entry on the host, for non-isolated upstreams. */
export const everythingJs = path.join(
  repoRoot,
  "tests/fixtures/images/everything/node_modules/@modelcontextprotocol/server-everything/dist/index.js",
);
export const dynamicUpstream = fileURLToPath(new URL("./fixtures/dynamic-upstream.ts", import.meta.url));
/** The server module the proxy child of test-helpers runs (this package's source). */
export const serverModule = new URL("../src/index.ts", import.meta.url).href;

export interface TempDir {
  dir: string;
  remove(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const created = await createTempDir("mcpproxy-server-test");
  return { dir: created.path, remove: created.cleanup };
}

/** The api_key writeConfig adds to a config that names none. */
export const TEST_API_KEY = "test-api-key-0123456789abcdef0123456789";

/** Writes `config` as JSON; without an `api_key` (or the loopback opt-out) it gets TEST_API_KEY. */
export async function writeConfig(file: string, config: Record<string, unknown>): Promise<void> {
  const keyed =
    "api_key" in config || "allow_loopback_without_key" in config
      ? config
      : { ...config, api_key: TEST_API_KEY };
  await writeFile(file, `${JSON.stringify(keyed, null, 2)}\n`);
}

/**
 * Writes `config` (as writeConfig does) to `<tmp>/mcp_config.json` and starts the proxy on it,
 * on a free loopback port, logging to `<tmp>/logs`, mirroring nothing to the console.
 */
export async function startTestProxy(
  tmp: TempDir,
  config: Record<string, unknown>,
  options: Partial<Omit<StartProxyOptions, "configPath">> = {},
): Promise<RunningProxy> {
  const configPath = path.join(tmp.dir, "mcp_config.json");
  await writeConfig(configPath, config);
  return startProxy({
    configPath,
    listen: "127.0.0.1:0",
    logDir: path.join(tmp.dir, "logs"),
    console: false,
    ...options,
  });
}

/** A non-isolated upstream running the dynamic fixture server. */
export function dynamicServer(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    command: process.execPath,
    args: [dynamicUpstream, name],
    isolation: { enabled: false },
    ...extra,
  };
}

/** A non-isolated everything server on the host. */
export function plainEverything(name: string): Record<string, unknown> {
  return { name, command: process.execPath, args: [everythingJs, "stdio"], isolation: { enabled: false } };
}

/** An everything server run isolated through the offline `npx` shim of the test image. */
export function isolatedEverything(
  name: string,
  isolation: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    command: "npx",
    args: ["-y", "@modelcontextprotocol/server-everything", "stdio"],
    isolation: { enabled: true, network_mode: "none", ...isolation },
  };
}

export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export interface RestAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function rest<T = Record<string, unknown>>(
  baseUrl: string,
  route: string,
  options: { apiKey?: string | undefined; method?: string; headers?: Record<string, string> } = {},
): Promise<RestAnswer<T>> {
  const url = new URL(`/api/v1${route}`, baseUrl);
  if (options.apiKey !== undefined) url.searchParams.set("apikey", options.apiKey);
  const response = await fetch(url, { method: options.method ?? "GET", headers: options.headers });
  return { status: response.status, body: (await response.json()) as T };
}

export interface ServerJson {
  name: string;
  enabled: boolean;
  state: string;
  state_detail: string;
  tool_count: number;
  isolation: {
    enabled: boolean;
    reason: string;
    image: string | null;
    container_id: string | null;
    container_name: string | null;
    memory_limit: string | null;
    cpu_limit: string | null;
    network_mode: string | null;
  };
  restarts: number;
  last_error: { code: string; message: string } | null;
  findings: { code: string; title: string; fix: string }[];
}

/** Waits until every named server is ready with tools listed; returns their REST views. */
export async function waitReady(
  baseUrl: string,
  apiKey: string | undefined,
  names: string[],
  timeoutMs = 90_000,
): Promise<Map<string, ServerJson>> {
  return waitFor(
    async () => {
      const { body } = await rest<{ servers: ServerJson[] }>(baseUrl, "/servers", { apiKey });
      const byName = new Map(body.servers.map((s) => [s.name, s]));
      const ready = names.every(
        (n) => byName.get(n)?.state === "ready" && (byName.get(n)?.tool_count ?? 0) > 0,
      );
      return ready ? byName : undefined;
    },
    `servers ${names.join(", ")} to be ready`,
    timeoutMs,
  );
}

/** Ids of every container (running or not) labelled with this proxy instance. */
export function containersOfInstance(instanceId: string): Promise<string[]> {
  return containersWithLabel("io.mcpproxy.instance", instanceId);
}
