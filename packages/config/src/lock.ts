// Serializing writers of one config file: an in-process queue per file (REST
// requests of one proxy) and a lock file beside it (the proxy, `mcpproxy
// servers add`, a second proxy). Hand-written rather than proper-lockfile: the
// critical section is one read-modify-rename of a small file, so an O_EXCL
// file naming its holder is enough, and it keeps this package free of callbacks.
import { hostname } from "node:os";
import { open, readFile, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError, errnoCode } from "./errors.ts";

export interface ConfigLockOptions {
  /** Give up after this long (CONFIG_LOCKED). Default 10 s. */
  timeoutMs?: number | undefined;
  /** A lock file older than this is taken over even if its holder seems alive. Default 30 s. */
  staleMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_STALE_MS = 30_000;

/** `.mcp_config.json.lock` beside the file: the watcher ignores names other than the config's. */
export function lockPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.lock`);
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call for the same file in this process has settled. */
function inProcessQueue<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(file, settled);
  void settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file);
  });
  return run;
}

function holderAlive(content: string): boolean {
  const [pid, host] = content.trim().split("@");
  if (host !== hostname()) return true;
  const number = Number(pid);
  if (!Number.isInteger(number) || number <= 0) return false;
  try {
    process.kill(number, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === "EPERM";
  }
}

/** Removes a lock file whose holder died (or that is older than staleMs); true when it did. */
async function breakStaleLock(lock: string, staleMs: number): Promise<boolean> {
  let content: string;
  let ageMs: number;
  try {
    content = await readFile(lock, "utf8");
    ageMs = Date.now() - (await stat(lock)).mtimeMs;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return true;
    throw error;
  }
  // An empty file is a holder between open and write: young, so not stale yet.
  const stale = ageMs > staleMs || (content !== "" && !holderAlive(content));
  if (!stale) return false;
  // Only remove the lock that was judged stale, not one a third process just created.
  const again = await readFile(lock, "utf8").catch(() => undefined);
  if (again === content) await unlink(lock).catch(() => undefined);
  return true;
}

async function acquire(lock: string, options: ConfigLockOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, "wx", 0o600);
      try {
        await handle.writeFile(`${process.pid}@${hostname()}\n`);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") {
        throw new ConfigError("WRITE_FAILED", `could not create the lock file ${lock}`, {
          cause: error,
          file: lock,
        });
      }
    }
    if (await breakStaleLock(lock, options.staleMs ?? DEFAULT_STALE_MS)) continue;
    if (Date.now() > deadline) {
      const holder = (await readFile(lock, "utf8").catch(() => "")).trim();
      throw new ConfigError(
        "CONFIG_LOCKED",
        `${lock} is held by another writer (${holder || "unknown"}); if no mcpproxy is writing the config, delete that file`,
        { file: lock },
      );
    }
    // Jittered backoff: writers hold the lock for milliseconds.
    await sleep(Math.min(5 * 2 ** Math.min(attempt, 4), 80) + Math.random() * 10);
  }
}

/**
 * Runs `fn` holding the config file's write lock: callers in this process queue
 * up, other processes wait for the lock file. Throws ConfigError CONFIG_LOCKED
 * when the lock is not free within `timeoutMs`.
 */
export function withConfigLock<T>(
  file: string,
  fn: () => Promise<T>,
  options: ConfigLockOptions = {},
): Promise<T> {
  return inProcessQueue(file, async () => {
    const lock = lockPathFor(file);
    await acquire(lock, options);
    try {
      return await fn();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  });
}
