// Issue 16 #3: restart, remove, reload and shutdown racing each other never
// start an upstream that nothing tracks. Many random interleavings of those
// operations on real servers (host processes and one container), then a
// shutdown in the middle of more of them: afterwards no process and no
// container of this run is left, and every restart after the shutdown is refused.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { parseConfig, type McpProxyConfig } from "@mcpproxy/config";
import { createLogManager } from "@mcpproxy/diagnostics";
import { createServerManager } from "@mcpproxy/lifecycle";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUpstreamRegistry } from "../src/upstreams.ts";
import {
  containersOfInstance,
  dynamicServer,
  isolatedEverything,
  tempDir,
  uniqueName,
  type TempDir,
} from "./helpers.ts";

const ROUNDS = 6;
const OPS_PER_ROUND = 24;

function configOf(servers: Record<string, unknown>[], everythingImage: string): McpProxyConfig {
  const result = parseConfig(
    JSON.stringify({
      docker_isolation: { enabled: false, default_images: { npx: everythingImage }, network_mode: "none" },
      mcpServers: servers,
    }),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

/** Host processes whose command line carries this run's marker. */
async function markedProcesses(marker: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)("ps", ["-eo", "pid,args"]);
  return stdout.split("\n").filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

describe("restart / remove / reload / shutdown races", () => {
  let temp: TempDir;
  let everything: string;
  const marker = uniqueName("race");

  beforeAll(async () => {
    everything = (await ensureTestImages()).everything;
    temp = await tempDir();
  });
  afterAll(async () => {
    await temp.remove();
  });

  for (let round = 0; round < ROUNDS; round++) {
    it(`round ${round}: nothing outlives the shutdown`, async () => {
      const instanceId = `${marker}-${round}`;
      const logs = createLogManager({ logDir: path.join(temp.dir, `logs-${round}`), level: "warn" });
      const manager = createServerManager({
        instanceId,
        logger: logs.main,
        restart: { initialDelayMs: 20, maxDelayMs: 100, maxRestarts: 3 },
        stopGraceMs: 200,
      });
      const registry = createUpstreamRegistry({ manager, logs });
      const names = ["a", "b", "c"].map((n) => `${marker}-${round}-${n}`);
      const isolatedName = `${marker}-${round}-iso`;
      const serverOf = (name: string, variant: number): Record<string, unknown> =>
        name === isolatedName
          ? isolatedEverything(name, { enabled: true, memory_limit: `${96 + variant}m` })
          : dynamicServer(name, { env: { VARIANT: String(variant) } });
      const all = [...names, isolatedName];
      const ops: string[] = [];
      const pending: Promise<unknown>[] = [];
      const randomOp = (): Promise<unknown> => {
        const name = all[Math.floor(Math.random() * all.length)] ?? isolatedName;
        const kind = Math.floor(Math.random() * 4);
        const present = all.filter(() => Math.random() < 0.75);
        const variant = Math.floor(Math.random() * 3);
        switch (kind) {
          case 0:
            ops.push(`restart ${name}`);
            return registry.restart(name);
          case 1:
            ops.push(`reload without ${name}`);
            return registry.applyConfig(
              configOf(
                all.filter((n) => n !== name).map((n) => serverOf(n, 0)),
                everything,
              ),
            );
          case 2:
            ops.push(`reload ${present.join(",")} variant ${variant}`);
            return registry.applyConfig(
              configOf(
                present.map((n) => serverOf(n, variant)),
                everything,
              ),
            );
          default:
            ops.push("reload all");
            return registry.applyConfig(
              configOf(
                all.map((n) => serverOf(n, 0)),
                everything,
              ),
            );
        }
      };

      await registry.applyConfig(
        configOf(
          all.map((n) => serverOf(n, 0)),
          everything,
        ),
      );
      for (let i = 0; i < OPS_PER_ROUND; i++) {
        pending.push(randomOp().catch(() => undefined));
        if (Math.random() < 0.3) await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      }
      // The shutdown lands among more operations.
      const shutdown = registry.stopAll();
      ops.push("stopAll");
      for (let i = 0; i < 6; i++) pending.push(randomOp().catch(() => undefined));
      await shutdown;
      await Promise.all(pending);
      // Late restarts after the shutdown are refused and start nothing.
      await expect(registry.restart(names[0] ?? "")).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const trace = ops.join("\n");
      expect(await markedProcesses(`${marker}-${round}-`), trace).toEqual([]);
      expect(await containersOfInstance(instanceId), trace).toEqual([]);
      for (const entry of registry.list()) {
        expect(["stopped", "disabled"], `${entry.name}\n${trace}`).toContain(entry.state);
      }
      await logs.close();
    }, 120_000);
  }
});
