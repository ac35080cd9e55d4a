// One proxy process for a whole test file: a temp dir with the config, the
// child started on it, the named servers ready, and one close() that leaves no
// process, container or file behind, whatever state the suite ended in.
import path from "node:path";
import type { ProxyProcessOptions } from "@mcpproxy/test-helpers";
import { containersOfInstance, forceRemove } from "./docker.ts";
import { waitAllReady, type ServerJson } from "./mcp.ts";
import { startProxyProcess, type ProxyProcess } from "./proxy-process.ts";
import { tempDir, writeConfig, type TempDir } from "./servers.ts";

export interface SuiteProxyOptions extends Omit<
  ProxyProcessOptions,
  "serverModule" | "configPath" | "logDir"
> {
  /** Servers to wait for (ready, tools listed) before resolving. */
  ready?: string[];
  /** Runs after the config is written, before the proxy starts (e.g. to note the file as written). */
  beforeStart?: (configPath: string) => Promise<void>;
}

export interface SuiteProxy {
  temp: TempDir;
  configPath: string;
  logDir: string;
  proxy: ProxyProcess;
  /** The REST views once every `ready` server was ready. */
  servers: ServerJson[];
  /** SIGTERM, then any container of the instance still there is removed, then the temp dir. */
  close(): Promise<void>;
}

export async function startSuiteProxy(
  config: Record<string, unknown>,
  options: SuiteProxyOptions = {},
): Promise<SuiteProxy> {
  const { ready = [], beforeStart, ...processOptions } = options;
  const temp = await tempDir();
  const configPath = path.join(temp.dir, "mcp_config.json");
  const logDir = path.join(temp.dir, "logs");
  let proxy: ProxyProcess | undefined;
  const close = async (): Promise<void> => {
    if (proxy !== undefined) {
      await proxy.stop();
      await forceRemove(await containersOfInstance(proxy.instanceId));
    }
    await temp.remove();
  };
  try {
    await writeConfig(configPath, config);
    await beforeStart?.(configPath);
    proxy = await startProxyProcess({ ...processOptions, configPath, logDir });
    const servers = ready.length > 0 ? await waitAllReady(proxy.url, proxy.apiKey, ready) : [];
    return { temp, configPath, logDir, proxy, servers, close };
  } catch (error) {
    await close();
    throw error;
  }
}
