// The orphan sweep beside a proxy's start, loaded on first use: it runs the docker
// CLI (execa), which `mcpproxy serve` with nothing to start does not load before Ready.
import type { LogManager } from "@mcpproxy/diagnostics";
import { sweepOrphans, type PinnedEngine } from "@mcpproxy/lifecycle";
import { errorMessage } from "./errors.ts";

/** Resolves once the sweep is done; failures are logged, never thrown. */
export function sweepInBackground(
  engine: Promise<PinnedEngine>,
  instanceId: string,
  logs: LogManager,
): Promise<void> {
  // The sweep removes only containers whose owning proxy is dead, never this one's.
  return engine
    .then((pinned) => sweepOrphans({ instanceId, docker: pinned.docker }))
    .then(
      (swept) => {
        if (swept.removed.length > 0) {
          const containers = swept.removed.map((c) => c.name);
          logs.main.info(
            { containers },
            `removed ${containers.length} orphaned container(s) of stopped proxies`,
          );
        }
      },
      (error: unknown) => {
        logs.main.warn({ err: errorMessage(error) }, "sweeping orphaned containers failed");
      },
    );
}
