// The proxy as a child process (what a user runs), so the tests can SIGKILL it,
// give it its own DOCKER_HOST, and read its memory from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const runner = fileURLToPath(new URL("./proxy-runner.ts", import.meta.url));

export class ProxyProcessError extends Error {
  readonly code = "PROXY_PROCESS_FAILED";
  constructor(message: string) {
    super(message);
    this.name = "ProxyProcessError";
  }
}

export interface ProxyProcessOptions {
  configPath: string;
  logDir: string;
  /** Extra environment, e.g. { DOCKER_HOST }. */
  env?: Record<string, string>;
  callTimeoutMs?: number;
  restart?: { max?: number; initialMs?: number; maxDelayMs?: number };
  /** How long to wait for the ready line. Default 120 s. */
  readyTimeoutMs?: number;
}

export interface ProxyProcess {
  url: string;
  mcpUrl: string;
  instanceId: string;
  apiKey: string | undefined;
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (bounded to the last 64 KiB). */
  stderr(): string;
  /** SIGTERM (graceful: stops servers, removes containers) and waits for the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL and wait until the process is gone. */
  kill(): Promise<void>;
}

function runnerArgs(options: ProxyProcessOptions): string[] {
  const args = ["--conditions=@mcpproxy/source", runner, options.configPath, "--log-dir", options.logDir];
  if (options.callTimeoutMs !== undefined) args.push("--call-timeout-ms", String(options.callTimeoutMs));
  const restart = options.restart ?? {};
  if (restart.max !== undefined) args.push("--restart-max", String(restart.max));
  if (restart.initialMs !== undefined) args.push("--restart-initial-ms", String(restart.initialMs));
  if (restart.maxDelayMs !== undefined) args.push("--restart-max-delay-ms", String(restart.maxDelayMs));
  return args;
}

interface ReadyLine {
  url: string;
  mcpUrl: string;
  instanceId: string;
  apiKey?: string;
  pid: number;
}

export async function startProxyProcess(options: ProxyProcessOptions): Promise<ProxyProcess> {
  const child = spawn(process.execPath, runnerArgs(options), {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-65_536);
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;

  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new ProxyProcessError(
          `the proxy did not print its ready line within the timeout; stderr:\n${stderr}`,
        ),
      );
    }, options.readyTimeoutMs ?? 120_000);
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf("\n");
      if (newline === -1) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.slice(0, newline)) as ReadyLine);
      } catch {
        reject(new ProxyProcessError(`unexpected proxy output: ${stdout.slice(0, 500)}`));
      }
    });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(
        new ProxyProcessError(
          `the proxy exited (code ${code}, signal ${signal}) before it was ready:\n${stderr}`,
        ),
      );
    });
  });

  return {
    ...ready,
    apiKey: ready.apiKey,
    child,
    stderr: () => stderr,
    async stop(timeoutMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Resident set size of a live process, in bytes (Linux /proc). */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match?.[1] === undefined) throw new ProxyProcessError(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
