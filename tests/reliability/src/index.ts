// What other packages' tests use from the reliability tests' support code: a
// private Docker engine to stop and start, a proxy run as its own process
// (its own DOCKER_HOST), fixture servers and REST polling.
export { listServers, waitAllReady, type ServerJson } from "./mcp.ts";
export {
  PrivateEngineError,
  privateEngineUnavailable,
  startPrivateEngine,
  type PrivateEngine,
} from "./private-dockerd.ts";
export {
  ProxyProcessError,
  startProxyProcess,
  type ProxyProcess,
  type ProxyProcessOptions,
} from "./proxy-process.ts";
export {
  fixtureServer,
  proxyConfig,
  RELIABILITY_API_KEY,
  tempDir,
  uniqueName,
  writeConfig,
  type FixtureServerOptions,
  type ProxyConfigOptions,
  type TempDir,
} from "./servers.ts";
