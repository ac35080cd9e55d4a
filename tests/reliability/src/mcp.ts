// Talking to a running proxy the way users do: an SDK client on /mcp and the
// REST API, plus bounded polling.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { waitFor } from "@mcpproxy/test-helpers";

/** An SDK client on /mcp sending the key as X-API-Key. */
export async function connectClient(
  mcpUrl: string,
  apiKey: string | undefined,
  name = "reliability-test",
): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  const headers: Record<string, string> = apiKey === undefined ? {} : { "x-api-key": apiKey };
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers } }));
  return client;
}

export function textOf(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: "text"; text: string } => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}

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

// The one bounded poll of the test packages; re-exported for the tests that already import it from here.
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
