// Processes and the docker CLI for the benchmark (node:child_process only: the
// bench runs from the repository root and depends on nothing but the workspace).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export class BenchError extends Error {
  readonly code = "BENCH_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BenchError";
  }
}

/** Runs a command to completion and returns its stdout; throws BenchError with its stderr. */
export async function run(file: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
  try {
    const { stdout } = await execFileAsync(file, args, {
      cwd: options.cwd,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr ?? "";
    throw new BenchError(`${file} ${args.slice(0, 4).join(" ")} failed: ${stderr.trim() || String(cause)}`, {
      cause,
    });
  }
}

export function docker(args: string[], timeoutMs?: number): Promise<string> {
  return run("docker", args, { timeoutMs });
}

/** Force-removes containers by name or id; ignores ones already gone. */
export async function removeContainers(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await docker(["rm", "-f", ...ids]).catch(() => "");
}

/** Ids of every container carrying `label` (key=value). */
export async function containersWithLabel(label: string): Promise<string[]> {
  const out = await docker(["ps", "-aq", "--no-trunc", "--filter", `label=${label}`]);
  return out.split("\n").filter(Boolean);
}

/** Resident set size of a live process, in bytes (Linux /proc). */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match?.[1] === undefined) throw new BenchError(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU time (user + system) a live process used so far, in seconds (Linux /proc; USER_HZ ticks). */
export async function cpuSeconds(pid: number, ticksPerSecond = 100): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Pids of the direct children of `pid` (Linux /proc). */
export async function childPids(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  return text.split(" ").filter(Boolean).map(Number);
}

export interface Spawned {
  child: ChildProcess;
  exited: Promise<unknown>;
  stderrTail(): string;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnProcess(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Spawned {
  const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let tail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-8_192);
  });
  const exited = once(child, "exit");
  return {
    child,
    exited,
    stderrTail: () => tail,
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The first line the process prints on stdout. */
export function firstLine(spawned: Spawned, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(
      () => reject(new BenchError(`no output within ${timeoutMs} ms: ${spawned.stderrTail()}`)),
      timeoutMs,
    );
    spawned.child.stdout?.setEncoding("utf8");
    spawned.child.stdout?.on("data", (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf("\n");
      if (newline === -1) return;
      clearTimeout(timer);
      resolve(buffered.slice(0, newline));
    });
    void spawned.exited.then(() => {
      clearTimeout(timer);
      reject(new BenchError(`the process exited before printing: ${spawned.stderrTail()}`));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
