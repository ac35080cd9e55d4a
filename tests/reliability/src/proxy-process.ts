// The reliability suites' proxy process: test-helpers' one proxy runner, bound
// to @mcpproxy/server (the package these suites test).
import {
  startProxyProcess as startChild,
  type ProxyProcess,
  type ProxyProcessOptions,
} from "@mcpproxy/test-helpers";

export {
  ProxyProcessError,
  rssBytes,
  type ProxyProcess,
  type ProxyProcessOptions,
} from "@mcpproxy/test-helpers";

const serverModule = import.meta.resolve("@mcpproxy/server");

/** Starts `mcpproxy`'s server in a child process on a free loopback port. */
export function startProxyProcess(options: Omit<ProxyProcessOptions, "serverModule">): Promise<ProxyProcess> {
  return startChild({ ...options, serverModule });
}
