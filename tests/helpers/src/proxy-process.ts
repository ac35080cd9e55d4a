// The one proxy runner of the test packages: the proxy as a child process (what
// a user runs), so tests can signal or SIGKILL it, give it its own DOCKER_HOST,
// talk MCP to it over stdio and read its memory from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const childEntry = fileURLToPath(new URL("./proxy-child.ts", import.meta.url));

/** What the child needs of `@mcpproxy/server` (structural: test-helpers does not depend on the server). */
export interface ServerModule {
  startProxy: (options: {
    configPath: string;
    listen: string;
    logDir?: string;
    instanceId?: string;
    stdio: boolean;
    console: false;
    callTimeoutMs: number | undefined;
    restart: { maxRestarts?: number; initialDelayMs?: number; maxDelayMs?: number };
  }) => Promise<StartedProxy>;
  runUntilSignal: (proxy: StartedProxy) => Promise<number>;
}

interface StartedProxy {
  url: string;
  mcpUrl: string;
  instanceId: string;
  apiKey: string | undefined;
}

export class ProxyProcessError extends Error {
  readonly code = "PROXY_PROCESS_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProxyProcessError";
  }
}

export interface ProxyChildOptions {
  /** URL of the server module, e.g. `import.meta.resolve("@mcpproxy/server")`. */
  serverModule: string;
  configPath: string;
  logDir: string;
  listen?: string;
  instanceId?: string;
  /** Serve MCP on stdin/stdout; the ready line then goes to stderr. */
  stdio?: boolean;
  callTimeoutMs?: number;
  restart?: { max?: number; initialMs?: number; maxDelayMs?: number };
}

/** `node` arguments that run the proxy child, e.g. for an SDK StdioClientTransport with `stdio: true`. */
export function proxyChildArgs(options: ProxyChildOptions): string[] {
  const args = ["--conditions=@mcpproxy/source", childEntry, "--server", options.serverModule];
  args.push(options.configPath, "--log-dir", options.logDir);
  const flags: [string, string | number | undefined][] = [
    ["--listen", options.listen],
    ["--instance-id", options.instanceId],
    ["--call-timeout-ms", options.callTimeoutMs],
    ["--restart-max", options.restart?.max],
    ["--restart-initial-ms", options.restart?.initialMs],
    ["--restart-max-delay-ms", options.restart?.maxDelayMs],
  ];
  for (const [flag, value] of flags) if (value !== undefined) args.push(flag, String(value));
  if (options.stdio === true) args.push("--stdio");
  return args;
}

export interface ProxyProcessOptions extends Omit<ProxyChildOptions, "stdio"> {
  /** Extra environment, e.g. { DOCKER_HOST }. */
  env?: Record<string, string>;
  /** How long to wait for the ready line. Default 120 s. */
  readyTimeoutMs?: number;
}

interface ReadyLine {
  url: string;
  mcpUrl: string;
  instanceId: string;
  apiKey?: string;
  pid: number;
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
  /** Sends `signal` (graceful: stops servers, removes containers), SIGKILL after `timeoutMs`; the exit code. */
  stop(timeoutMs?: number, signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL and wait until the process is gone. */
  kill(): Promise<void>;
}

function readyLineOf(
  child: ChildProcess,
  exited: Promise<[number | null, NodeJS.Signals | null]>,
  stderr: () => string,
  timeoutMs: number,
): Promise<ReadyLine> {
  return new Promise<ReadyLine>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new ProxyProcessError(`the proxy printed no ready line in ${timeoutMs} ms; stderr:\n${stderr()}`),
      );
    }, timeoutMs);
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf("\n");
      if (newline === -1) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.slice(0, newline)) as ReadyLine);
      } catch (cause) {
        reject(new ProxyProcessError(`unexpected proxy output: ${stdout.slice(0, 500)}`, { cause }));
      }
    });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      const reason = `the proxy exited (code ${code}, signal ${signal}) before it was ready:\n${stderr()}`;
      reject(new ProxyProcessError(reason));
    });
  });
}

/** Starts the proxy child on HTTP and resolves once it printed its ready line. */
export async function startProxyProcess(options: ProxyProcessOptions): Promise<ProxyProcess> {
  const child = spawn(process.execPath, proxyChildArgs(options), {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-65_536);
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const ready = await readyLineOf(child, exited, () => stderr, options.readyTimeoutMs ?? 120_000);
  return {
    ...ready,
    apiKey: ready.apiKey,
    child,
    stderr: () => stderr,
    async stop(timeoutMs = 60_000, signal = "SIGTERM") {
      if (gone()) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (gone()) return;
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
