// Which proxy process owns a container, and whether that process is still alive.
//
// Every container gets labels naming its owner: host name, boot id, pid and the
// pid's start time. A sweep removes a container only when its owner is provably
// gone on this host: the boot id changed (reboot), the pid does not exist, or
// the pid now belongs to a process that started at another time (pid reuse).
// Containers of another host, or without owner labels, are never removed.
import { readFileSync } from "node:fs";
import os from "node:os";
import { execaSync } from "execa";

/** Label keys (not `io.mcpproxy.*`: @mcpproxy/docker-args reserves those for its own labels). */
export const OWNER_LABELS = Object.freeze({
  pid: "io.mcpproxy-lifecycle.owner-pid",
  started: "io.mcpproxy-lifecycle.owner-started",
  host: "io.mcpproxy-lifecycle.owner-host",
  bootId: "io.mcpproxy-lifecycle.boot-id",
} as const);

function readProcFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  if (process.platform !== "linux") return undefined;
  return readProcFile("/proc/sys/kernel/random/boot_id")?.trim() || undefined;
}

/**
 * A token for the start time of `pid` that stays the same for the life of the
 * process: on Linux the starttime field of /proc/<pid>/stat (clock ticks since
 * boot), elsewhere `ps -o lstart=`. Undefined when there is no such process.
 */
export function processStartToken(pid: number): string | undefined {
  if (process.platform === "linux") {
    const stat = readProcFile(`/proc/${pid}/stat`);
    if (stat === undefined) return undefined;
    // Fields after the parenthesised command name; starttime is field 22 (index 19 after `)`).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const start = fields[19];
    return start === undefined ? undefined : `proc:${start}`;
  }
  if (process.platform === "win32") {
    try {
      process.kill(pid, 0);
      return "alive";
    } catch {
      return undefined;
    }
  }
  const result = execaSync("ps", ["-o", "lstart=", "-p", String(pid)], { reject: false });
  const lstart = typeof result.stdout === "string" ? result.stdout.trim() : "";
  return result.exitCode === 0 && lstart !== "" ? `ps:${lstart}` : undefined;
}

let ownLabels: Record<string, string> | undefined;

/** The owner labels of containers started by this process. */
export function ownerLabels(): Record<string, string> {
  if (ownLabels === undefined) {
    const labels: Record<string, string> = {
      [OWNER_LABELS.pid]: String(process.pid),
      [OWNER_LABELS.host]: os.hostname(),
    };
    const started = processStartToken(process.pid);
    if (started !== undefined) labels[OWNER_LABELS.started] = started;
    const boot = bootId();
    if (boot !== undefined) labels[OWNER_LABELS.bootId] = boot;
    ownLabels = labels;
  }
  return ownLabels;
}

export type OwnerVerdict =
  { alive: true; reason: string } | { alive: false; reason: string } | { alive: undefined; reason: string };

/** Whether the process that owns a container (by its labels) is alive; `undefined` when it cannot be known. */
export function ownerStatus(labels: Readonly<Record<string, string>>): OwnerVerdict {
  const pidText = labels[OWNER_LABELS.pid];
  const host = labels[OWNER_LABELS.host];
  if (pidText === undefined || host === undefined || !/^\d+$/.test(pidText)) {
    return { alive: undefined, reason: "no owner labels" };
  }
  if (host !== os.hostname()) return { alive: undefined, reason: `owned by a proxy on host ${host}` };
  const boot = labels[OWNER_LABELS.bootId];
  const currentBoot = bootId();
  if (boot !== undefined && currentBoot !== undefined && boot !== currentBoot) {
    return { alive: false, reason: "its owner ran before the last reboot" };
  }
  const pid = Number(pidText);
  const current = processStartToken(pid);
  if (current === undefined) return { alive: false, reason: `its owner (pid ${pid}) is gone` };
  const started = labels[OWNER_LABELS.started];
  if (started !== undefined && started !== current) {
    return { alive: false, reason: `its owner (pid ${pid}) is gone; the pid now belongs to another process` };
  }
  return { alive: true, reason: `its owner (pid ${pid}) is running` };
}

/** The labels name this very process as the owner. */
export function isOwnedByThisProcess(labels: Readonly<Record<string, string>>): boolean {
  const own = ownerLabels();
  return Object.values(OWNER_LABELS).every((key) => labels[key] === own[key]);
}
