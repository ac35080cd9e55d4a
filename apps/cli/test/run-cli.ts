// Runs the `mcpproxy` binary from source as a subprocess, in a sandbox of temp
// dirs (HOME, config, state), without colours, and never rejects.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
export const NODE_ARGS = ["--conditions=@mcpproxy/source", "--disable-warning=ExperimentalWarning"];

export interface Sandbox {
  dir: string;
  home: string;
  /** The MCPPROXY_CONFIG the CLI sees. */
  configPath: string;
  env: Record<string, string>;
  writeConfig(config: unknown): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-cli-test-"));
  const home = path.join(dir, "home");
  const configPath = path.join(dir, "config", "mcp_config.json");
  const env: Record<string, string> = {
    HOME: home,
    MCPPROXY_CONFIG: configPath,
    XDG_STATE_HOME: path.join(dir, "state"),
    XDG_CONFIG_HOME: path.join(dir, "xdg-config"),
    NO_COLOR: "1",
  };
  return {
    dir,
    home,
    configPath,
    env,
    async writeConfig(config: unknown): Promise<void> {
      await mkdir(path.dirname(configPath), { recursive: true });
      await writeFile(configPath, typeof config === "string" ? config : JSON.stringify(config, null, 2));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface CliResult {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Overrides of the sandbox env; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  cwd?: string;
}

/** Starts the CLI; await it for the result, or read its stdout/stderr streams while it runs. */
export function spawnCli(sandbox: Sandbox, args: readonly string[], options: RunOptions = {}) {
  return execa(process.execPath, [...NODE_ARGS, BIN, ...args], {
    reject: false,
    stripFinalNewline: false,
    // Under a full parallel suite a serve from source can take tens of seconds to start and stop; below the 120 s test timeout.
    timeout: options.timeoutMs ?? 100_000,
    // execa SIGKILLs 5 s after a SIGTERM by default; a serve stopping its containers on a loaded engine needs
    // longer, and a SIGKILL there would read as a failed graceful stop (exit code undefined).
    forceKillAfterDelay: 15_000,
    cwd: options.cwd ?? sandbox.dir,
    extendEnv: true,
    env: { ...sandbox.env, ...options.env },
  });
}

function cliResultOf(result: Awaited<ReturnType<typeof spawnCli>>): CliResult {
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

export async function runCli(
  sandbox: Sandbox,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  return cliResultOf(await spawnCli(sandbox, args, options));
}

export type ServeProcess = ReturnType<typeof spawnCli>;

export interface RunningServe {
  process: ServeProcess;
  /** What serve printed up to its "Ready:" line (the last of its start). */
  output: string;
  /** SIGTERM, then the result once serve exited. */
  stop(): Promise<CliResult>;
}

/**
 * `mcpproxy serve` (plus `args`) once it printed "Ready:"; killed if it never does. Wrapped in
 * an object: an async function returning the subprocess itself would await its exit.
 */
export async function startServe(
  sandbox: Sandbox,
  args: readonly string[] = [],
  options: RunOptions = {},
): Promise<RunningServe> {
  const serve = spawnCli(sandbox, ["serve", ...args], { timeoutMs: 600_000, ...options });
  let output: string;
  try {
    output = await waitForOutput(serve.stdout, /Ready: .*\n/);
  } catch (error) {
    serve.kill("SIGKILL");
    await serve;
    throw error;
  }
  return {
    process: serve,
    output,
    async stop() {
      serve.kill("SIGTERM");
      return cliResultOf(await serve);
    },
  };
}

/** Writes `config` listening on a loopback port free a moment ago (what serve and the CLI's clients use); the port. */
export async function writeServeConfig(sandbox: Sandbox, config: Record<string, unknown>): Promise<number> {
  const port = await freePort();
  await sandbox.writeConfig({ listen: `127.0.0.1:${port}`, ...config });
  return port;
}

/** GET of the running serve's REST API on `port`, sending `apiKey`; the parsed JSON body. */
export async function serveRest<T>(port: number, apiKey: string, route: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1${route}`, {
    headers: { "X-API-Key": apiKey },
  });
  if (response.status !== 200) throw new Error(`GET ${route} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Parses stdout as JSON, failing with the whole output when it is not. */
export function parseJson<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${result.exitCode}):\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

type Readable = NodeJS.ReadableStream & { on(event: "data", listener: (chunk: Buffer) => void): unknown };

export interface OutputWatcher {
  /** Everything the stream has written since the watcher was attached. */
  readonly text: string;
  /** Resolves with all text so far once `pattern` matches it (old text included); rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** Collects a subprocess stream from now on, so no output is missed between waits. */
export function watchOutput(stream: Readable): OutputWatcher {
  let text = "";
  const waiters = new Set<() => void>();
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const check of waiters) check();
  });
  return {
    get text() {
      return text;
    },
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(text)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(text);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${String(pattern)}; output so far:\n${text}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Resolves with the output once `pattern` matches it; for a stream read only once. */
export function waitForOutput(stream: Readable, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return watchOutput(stream).waitFor(pattern, timeoutMs);
}

const shellWord = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), so stdout and stderr
 * are TTYs; both arrive merged in `stdout`.
 */
export async function runCliInTty(
  sandbox: Sandbox,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const command = [process.execPath, ...NODE_ARGS, BIN, ...args].map(shellWord).join(" ");
  const result = await execa("script", ["-qec", command, "/dev/null"], {
    reject: false,
    // Under a full parallel suite a serve from source can take tens of seconds to start and stop; below the 120 s test timeout.
    timeout: options.timeoutMs ?? 100_000,
    // execa SIGKILLs 5 s after a SIGTERM by default; a serve stopping its containers on a loaded engine needs
    // longer, and a SIGKILL there would read as a failed graceful stop (exit code undefined).
    forceKillAfterDelay: 15_000,
    cwd: options.cwd ?? sandbox.dir,
    extendEnv: true,
    env: { ...sandbox.env, ...options.env },
    stdin: "ignore",
  });
  return cliResultOf(result);
}
