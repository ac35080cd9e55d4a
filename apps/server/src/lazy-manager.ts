// lifecycle's server manager (behind the prepare step), loaded when the first
// server starts: lifecycle's Engine API client (docker-modem, ssh2) and the MCP
// SDK client are a large part of the proxy's start-up, and an empty config
// never needs them. The first isolated start begins the orphan sweep and runs
// beside it: container names carry a random suffix and the sweep removes only
// containers of dead proxies, so the two never touch the same container.
import type { IsolationResolution, ServerConfig } from "@mcpproxy/config";
import type { ServerHandle } from "@mcpproxy/lifecycle";
import { ProxyError } from "./errors.ts";
import { onFirstUse } from "./on-first-use.ts";
import type { ServerManagerLike } from "./upstreams.ts";

export interface LazyManagerOptions {
  /** Imports and creates the real manager. */
  load: () => Promise<ServerManagerLike>;
  /** Runs the orphan sweep (once); the first isolated start begins it but does not wait for it. */
  sweep: () => Promise<void>;
}

export function lazyServerManager(options: LazyManagerOptions): Required<ServerManagerLike> {
  const manager = onFirstUse(options.load);
  return {
    async whenReady(isolated: boolean): Promise<void> {
      if (isolated) void options.sweep();
      await manager.get();
    },
    add(server: ServerConfig, isolation: IsolationResolution, add?: { prepare?: boolean }): ServerHandle {
      const loaded = manager.value;
      if (loaded === undefined) {
        throw new ProxyError("INTERNAL", `server ${server.name} was started before whenReady() resolved`);
      }
      return loaded.add(server, isolation, add);
    },
    // Never loaded: nothing was started, so there is nothing to stop.
    async remove(name: string): Promise<void> {
      if (manager.started) await (await manager.get()).remove(name);
    },
    async stopAll(): Promise<void> {
      if (manager.started) await (await manager.get()).stopAll();
    },
  };
}
