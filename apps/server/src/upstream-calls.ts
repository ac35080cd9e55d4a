// Routing one tools/call to an upstream: waits (within the per-call timeout)
// for a server that is starting or restarting, fails at once for one that is
// failed or stopped, and turns every failure into a ProxyError that names the
// server and its state.
import type { ServerHandle } from "@mcpproxy/lifecycle";
import { ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { errorMessage, ProxyError } from "./errors.ts";
import { describeCallFailure, describeUnavailable } from "./upstream-diagnosis.ts";
import type { CallOptions, UpstreamEntry } from "./upstream-types.ts";

/**
 * The upstream's result passes through unchanged, so it is checked once, on the way
 * out: the proxy's SDK Server validates every tools/call result against
 * CallToolResultSchema. The upstream client only needs an object here (the SDK's
 * callTool would parse it a second time, and check structuredContent against the
 * tool's outputSchema, which the calling client does itself with the schema it was given).
 */
const PassthroughResult = z.custom<CallToolResult>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  { message: "a tools/call result must be a JSON object" },
);

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/**
 * Resolves true when the server is ready; false when the deadline passed, the
 * call was aborted, or the server failed, stopped or went away.
 */
function waitReady(
  handle: ServerHandle,
  entry: () => UpstreamEntry | undefined,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (handle.state === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ready: boolean) => {
      clearTimeout(timer);
      handle.off("state", onState);
      signal?.removeEventListener("abort", onAbort);
      resolve(ready);
    };
    const onState = () => {
      const state = entry()?.state;
      if (state === "ready") finish(true);
      else if (state !== "starting" && state !== "restarting") finish(false);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), Math.max(0, deadline - Date.now()));
    handle.on("state", onState);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export async function callUpstream(
  entry: () => UpstreamEntry | undefined,
  server: string,
  tool: string,
  args: Record<string, unknown>,
  options: CallOptions,
): Promise<CallToolResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const current = entry();
  if (!current) throw new ProxyError("SERVER_NOT_FOUND", `no upstream server named "${server}"`, { server });
  if (current.state === "disabled" || !current.handle) {
    throw new ProxyError("SERVER_DISABLED", describeUnavailable(current), { server });
  }
  let handle = current.handle;
  if (current.state === "starting" || current.state === "restarting") {
    const ready = await waitReady(handle, entry, deadline, options.signal);
    const now = entry();
    if (!ready || !now?.handle || now.handle.state !== "ready") {
      const latest = now ?? current;
      const code = !ready && Date.now() >= deadline ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNAVAILABLE";
      const waited = code === "UPSTREAM_TIMEOUT" ? ` (waited ${seconds(options.timeoutMs)})` : "";
      throw new ProxyError(code, `${describeUnavailable(latest)}${waited}`, { server });
    }
    handle = now.handle;
  }
  const client = handle.client;
  if (handle.state !== "ready" || !client) {
    const latest = entry() ?? current;
    // `ready` without a client: the server just ended and its state has not changed yet.
    const message =
      latest.state === "ready"
        ? describeCallFailure(latest, tool, "its connection closed")
        : describeUnavailable(latest);
    throw new ProxyError("UPSTREAM_UNAVAILABLE", message, { server });
  }
  const known = entry()?.tools ?? [];
  if (known.length > 0 && !known.some((t) => t.name === tool)) {
    const names = known.map((t) => t.name);
    throw new ProxyError(
      "UNKNOWN_TOOL",
      `upstream server "${server}" has no tool "${tool}"; it has: ${names.slice(0, 30).join(", ")}${names.length > 30 ? ", …" : ""}`,
      { server },
    );
  }
  const remaining = Math.max(1, deadline - Date.now());
  try {
    return await client.request(
      { method: "tools/call", params: { name: tool, arguments: args } },
      PassthroughResult,
      {
        timeout: remaining,
        signal: options.signal,
        onprogress: options.onProgress
          ? (p) => options.onProgress?.({ progress: p.progress, total: p.total, message: p.message })
          : undefined,
      },
    );
  } catch (error) {
    if (error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number)) {
      throw new ProxyError(
        "UPSTREAM_TIMEOUT",
        `upstream server "${server}" did not answer tools/call "${tool}" within ${seconds(options.timeoutMs)} ` +
          `(state: ${entry()?.state ?? "removed"}); other servers are not affected`,
        { server, cause: error },
      );
    }
    const latest = entry();
    const closed =
      (error instanceof McpError && error.code === (ErrorCode.ConnectionClosed as number)) ||
      /not connected/i.test(errorMessage(error));
    // The server went away under the call (its connection closed, its client was replaced, or it
    // is no longer ready): name the real failure, never the state the registry has not updated yet.
    if (closed || (latest && (latest.state !== "ready" || latest.handle?.client !== client))) {
      const cause = closed ? "connection closed" : errorMessage(error);
      throw new ProxyError(
        "UPSTREAM_UNAVAILABLE",
        latest
          ? describeCallFailure(latest, tool, cause)
          : `upstream server "${server}" was removed during the call to "${tool}" (${cause})`,
        { server, cause: error },
      );
    }
    throw new ProxyError(
      "UPSTREAM_ERROR",
      `upstream server "${server}" answered "${tool}" with an error: ${errorMessage(error)}`,
      {
        server,
        cause: error,
      },
    );
  }
}
