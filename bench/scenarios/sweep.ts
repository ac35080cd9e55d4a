// 5. Orphan sweep of 100 labelled containers: running containers labelled the
// way lifecycle labels its own, owned by a proxy process that is gone. Timed:
// the product's sweepOrphans(); beside it, what a user would type by hand
// (`docker rm -f $(docker ps -aq --filter label=…)`) on an identical set.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { MANAGED_BY_VALUE, MCPPROXY_LABELS } from "@mcpproxy/docker-args";
import { OWNER_LABELS, sweepOrphans } from "@mcpproxy/lifecycle";
import { BenchError, containersWithLabel, docker, removeContainers } from "../lib/exec.ts";
import { summarize, type Summary } from "../lib/stats.ts";

export interface SweepResult {
  containers: number;
  /** sweepOrphans() until every orphan is gone. */
  sweep: Summary;
  /** `docker ps -aq --filter label=…` + `docker rm -f …`. */
  byHand: Summary;
}

const CREATE_PARALLEL = 8;
const ATTEMPTS = 3;

/** Orphans disappeared that this bench did not remove: another proxy on the engine swept them. */
class SweptElsewhereError extends BenchError {}

/** The pid of a process that has certainly exited (spawned and reaped here). */
async function deadPid(): Promise<number> {
  const child = spawn("true");
  await once(child, "exit");
  if (child.pid === undefined) throw new BenchError("could not spawn `true`");
  return child.pid;
}

async function createOrphans(image: string, count: number, instance: string): Promise<void> {
  const pid = await deadPid();
  const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  const labels = {
    [MCPPROXY_LABELS.managedBy]: MANAGED_BY_VALUE,
    [MCPPROXY_LABELS.instance]: instance,
    [OWNER_LABELS.pid]: String(pid),
    [OWNER_LABELS.host]: os.hostname(),
    [OWNER_LABELS.started]: "proc:1",
    [OWNER_LABELS.bootId]: bootId,
  };
  const labelArgs = Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await docker([
        "run",
        "-d",
        "--network",
        "none",
        ...labelArgs,
        "--label",
        `${MCPPROXY_LABELS.server}=orphan${index}`,
        image,
        "sleep",
        "3600",
      ]);
    }
  };
  await Promise.all(Array.from({ length: CREATE_PARALLEL }, worker));
  const created = await containersWithLabel(`${MCPPROXY_LABELS.instance}=${instance}`);
  if (created.length !== count) {
    throw new SweptElsewhereError(
      `${count - created.length} of ${count} orphans vanished while being created`,
    );
  }
}

async function timedSweep(instance: string, count: number): Promise<number> {
  const started = performance.now();
  const result = await sweepOrphans({ instanceId: "mcpproxy-bench-sweeper" });
  const took = performance.now() - started;
  const removed = result.removed.filter((c) => c.instanceId === instance).length;
  const left = await containersWithLabel(`${MCPPROXY_LABELS.instance}=${instance}`);
  if (left.length > 0) {
    await removeContainers(left);
    throw new BenchError(`sweepOrphans left ${left.length} of ${count} orphans behind`);
  }
  if (removed !== count) throw new SweptElsewhereError(`sweepOrphans found ${removed} of ${count} orphans`);
  return took;
}

async function timedByHand(instance: string, count: number): Promise<number> {
  const started = performance.now();
  const ids = await containersWithLabel(`${MCPPROXY_LABELS.instance}=${instance}`);
  await docker(["rm", "-f", ...ids], 300_000);
  const took = performance.now() - started;
  if (ids.length !== count) throw new SweptElsewhereError(`found ${ids.length} of ${count} orphans by label`);
  return took;
}

export async function orphanSweep(
  image: string,
  count: number,
  rounds: number,
  log: (line: string) => void,
): Promise<SweepResult> {
  const sweep: number[][] = [];
  const byHand: number[][] = [];
  for (let round = 0; round < rounds; round++) {
    for (let attempt = 1; ; attempt++) {
      const instance = `bench-orphans-${process.pid}-${round}-${attempt}`;
      try {
        await createOrphans(image, count, `${instance}-a`);
        const swept = await timedSweep(`${instance}-a`, count);
        await createOrphans(image, count, `${instance}-b`);
        const manual = await timedByHand(`${instance}-b`, count);
        sweep.push([swept]);
        byHand.push([manual]);
        break;
      } catch (error) {
        // Any proxy starting on this engine sweeps dead-owner containers too: retry on a quiet moment.
        if (!(error instanceof SweptElsewhereError) || attempt >= ATTEMPTS) throw error;
        log(`orphan sweep round ${round + 1}: ${error.message} (another MCPProxy swept them?); retrying`);
      } finally {
        for (const suffix of ["a", "b"]) {
          await removeContainers(
            await containersWithLabel(`${MCPPROXY_LABELS.instance}=${instance}-${suffix}`),
          );
        }
      }
    }
    log(
      `orphan sweep round ${round + 1}/${rounds}: sweepOrphans ${sweep.at(-1)?.[0]?.toFixed(0)} ms, ` +
        `docker rm -f by hand ${byHand.at(-1)?.[0]?.toFixed(0)} ms (${count} containers)`,
    );
  }
  return { containers: count, sweep: summarize(sweep), byHand: summarize(byHand) };
}
