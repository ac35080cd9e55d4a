// Talking MCP to a running proxy the way users do: an SDK client on /mcp
// sending the API key as X-API-Key, and the text of a tool result.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export interface ConnectOptions {
  /** clientInfo.name the proxy sees. Default "mcpproxy-test". */
  name?: string;
  headers?: Record<string, string>;
}

/** An SDK client on /mcp, sending `apiKey` (when given) as the X-API-Key header. */
export async function connectClient(
  mcpUrl: string,
  apiKey: string | undefined,
  options: ConnectOptions = {},
): Promise<Client> {
  const extra = options.headers ?? {};
  const headers = apiKey === undefined ? extra : { "x-api-key": apiKey, ...extra };
  const client = new Client({ name: options.name ?? "mcpproxy-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers } }));
  return client;
}

/** The text parts of a tool result, joined by newlines. */
export function textOf(result: unknown): string {
  return (result as CallToolResult).content
    .filter((c): c is { type: "text"; text: string } => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}
