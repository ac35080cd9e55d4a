// The MCP endpoint, created on the first MCP request (or the stdio session):
// the MCP SDK's server and transports (with ajv) are a large part of the
// proxy's start-up, and a proxy nobody has connected to yet does not need them.
import type { McpEndpoint } from "./mcp-endpoint.ts";
import { onFirstUse } from "./on-first-use.ts";

export function lazyMcpEndpoint(create: () => Promise<McpEndpoint>): McpEndpoint {
  const endpoint = onFirstUse(create);
  let closed = false;
  /** The endpoint; one first created after close() is closed too, so it refuses like a closed one. */
  async function current(): Promise<McpEndpoint> {
    const real = await endpoint.get();
    if (closed) await real.close();
    return real;
  }
  return {
    async handleHttp(req, res, body) {
      return (await current()).handleHttp(req, res, body);
    },
    async connectStdio(input, output) {
      return (await current()).connectStdio(input, output);
    },
    // Before the first session there is nobody to notify.
    notifyToolsChanged() {
      endpoint.value?.notifyToolsChanged();
    },
    get sessionCount() {
      return endpoint.value?.sessionCount ?? 0;
    },
    get pendingCount() {
      return endpoint.value?.pendingCount ?? 0;
    },
    async close() {
      closed = true;
      if (endpoint.started) await (await endpoint.get()).close();
    },
  };
}
