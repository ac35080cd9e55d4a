// What the MCP side and the REST API need from the set of upstream servers.
// upstreams.ts implements it on top of @mcpproxy/lifecycle.
import type { IsolationResolution, ServerConfig } from "@mcpproxy/config";
import type { ServerHandle, ServerState } from "@mcpproxy/lifecycle";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { UpstreamTool } from "./tool-index.ts";

/** Lifecycle state, or "disabled" for a server with `enabled: false` in the config. */
export type UpstreamState = ServerState | "disabled";

export interface UpstreamEntry {
  readonly name: string;
  readonly config: ServerConfig;
  readonly isolation: IsolationResolution;
  readonly state: UpstreamState;
  /** Undefined for disabled servers. */
  readonly handle: ServerHandle | undefined;
  /** Last known tool list (kept while restarting, emptied when failed or stopped). */
  readonly tools: readonly Tool[];
  /** True once tools/list answered since the last (re)start (false while starting, failed, stopped). */
  readonly toolsListed?: boolean;
}

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Upstream progress notifications, relayed to the client that asked. */
  onProgress?: ((progress: { progress: number; total?: number; message?: string }) => void) | undefined;
  /** The MCP session of the client that called, for the activity log. */
  session?: string | undefined;
}

export interface UpstreamRegistry {
  list(): UpstreamEntry[];
  get(name: string): UpstreamEntry | undefined;
  /** Every known tool of every server, sorted by server then tool. */
  tools(): UpstreamTool[];
  /** Called (debounced) when the set of upstream tools changed. Returns an unsubscribe function. */
  onToolsChanged(listener: () => void): () => void;
  /** Routes a tools/call; throws ProxyError (UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, UPSTREAM_ERROR, UNKNOWN_TOOL, SERVER_NOT_FOUND). */
  callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    options: CallOptions,
  ): Promise<CallToolResult>;
  /** Restarts one server; resolves when ready, throws ProxyError RESTART_FAILED / SERVER_NOT_FOUND / SERVER_DISABLED. */
  restart(name: string): Promise<void>;
  /** Recent log lines of a server (its log file, else its stderr buffer). */
  logs(name: string, tail: number): Promise<string[]>;
  /** A sentence naming the server's state and the diagnosis hint, for errors. */
  describeUnavailable(name: string): string;
}
