// Public API of @mcpproxy/test-helpers (private): what several packages' tests share.
export { configWith, serverOf, testInstanceId, type ServerSpec } from "./isolation.ts";
export { connectClient, textOf, type ConnectOptions } from "./mcp-client.ts";
export {
  proxyChildArgs,
  ProxyProcessError,
  rssBytes,
  startProxyProcess,
  type ProxyChildOptions,
  type ProxyProcess,
  type ProxyProcessOptions,
  type ServerModule,
} from "./proxy-process.ts";
export { createTempDir, type TempDir } from "./temp-dir.ts";
export { uniqueName } from "./unique-name.ts";
export { waitFor } from "./wait-for.ts";
