// Talking to a running proxy the way users do: an SDK client on /mcp and the
// REST API, plus bounded polling.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { waitFor } from "@mcpproxy/test-helpers";

// The shared client helpers, re-exported for the suites that import them from here.
export { connectClient, textOf } from "@mcpproxy/test-helpers";

/** The proxy's error code of a failed call (`_meta["io.mcpproxy/error"].code`). */
export function errorCodeOf(result: CallToolResult): string | undefined {
  const meta = result._meta?.["io.mcpproxy/error"] as { code?: unknown } | undefined;
  return typeof meta?.code === "string" ? meta.code : undefined;
}

/** `call_tool` (retrieve mode) of `<server>:<tool>`. */
export async function callThroughProxy(
  client: Client,
  qualified: string,
  args: Record<string, unknown>,
  timeoutMs = 60_000,
): Promise<CallToolResult> {
  return (await client.callTool({ name: "call_tool", arguments: { name: qualified, args } }, undefined, {
    timeout: timeoutMs,
  })) as CallToolResult;
}

export interface ServerJson {
  name: string;
  state: string;
  state_detail: string;
  tool_count: number;
  restarts: number;
  last_error: { code: string; message: string } | null;
  isolation: { container_id: string | null };
  pull?: {
    image: string;
    layers: number;
    layers_done: number;
    bytes_done: number;
    bytes_total: number;
  } | null;
  engine_unreachable?: string | null;
  kept_container?: string | null;
}

export async function listServers(baseUrl: string, apiKey: string | undefined): Promise<ServerJson[]> {
  const url = new URL("/api/v1/servers", baseUrl);
  if (apiKey !== undefined) url.searchParams.set("apikey", apiKey);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET /api/v1/servers answered ${response.status}`);
  return ((await response.json()) as { servers: ServerJson[] }).servers;
}

export { waitFor };

/** Waits until every named server is `ready` with its tools listed. */
export function waitAllReady(
  baseUrl: string,
  apiKey: string | undefined,
  names: string[],
  timeoutMs = 90_000,
): Promise<ServerJson[]> {
  return waitFor(
    async () => {
      const servers = await listServers(baseUrl, apiKey);
      const ready = names.every((name) => {
        const server = servers.find((s) => s.name === name);
        return server?.state === "ready" && server.tool_count > 0;
      });
      return ready ? servers : undefined;
    },
    `servers ${names.join(", ")} to be ready`,
    timeoutMs,
  );
}
