// Watching the config file for changes. The directory is watched, not the file,
// so editors that save by writing a new file and renaming it over the old one are
// seen, and so is a bare `touch` (mtime changes while the content does not).
// A config that is a symlink (dotfiles) is followed: the directory of its
// target is watched too, and re-resolved when the link is repointed.
import { watch, type FSWatcher } from "node:fs";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { ConfigError, errnoCode } from "./errors.ts";
import type { ConfigFailure, ConfigOk } from "./issues.ts";
import { configNotFound } from "./load.ts";
import { parseConfig } from "./parse.ts";
import type { McpProxyConfig } from "./types.ts";

/** What the watcher reports after a change: the new config, or the errors and the config still in force. */
export type ConfigChange = ConfigOk | (ConfigFailure & { lastGood: McpProxyConfig | undefined });

export interface WatchConfigOptions {
  /** Quiet time after the last file event before the file is read. Default 150 ms. */
  debounceMs?: number | undefined;
  onChange: (change: ConfigChange) => void;
  /** The watcher itself failed (e.g. the directory was removed). */
  onError?: ((error: ConfigError) => void) | undefined;
}

export interface ConfigWatcher {
  /** The last config that validated (from the start or a later change), if any. */
  lastGood(): McpProxyConfig | undefined;
  /** Stop watching; no onChange call happens after this. Idempotent. */
  close(): void;
}

interface Snapshot {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  text: string;
}

function same(a: Snapshot | undefined, b: Snapshot | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs &&
    a.text === b.text
  );
}

async function snapshot(file: string): Promise<Snapshot | undefined> {
  try {
    const { ino, size, mtimeNs, ctimeNs } = await stat(file, { bigint: true });
    return { ino, size, mtimeNs, ctimeNs, text: await readFile(file, "utf8") };
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

function snapshotSync(file: string): Snapshot | undefined {
  try {
    const { ino, size, mtimeNs, ctimeNs } = statSync(file, { bigint: true });
    return { ino, size, mtimeNs, ctimeNs, text: readFileSync(file, "utf8") };
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw new ConfigError("WATCH_FAILED", `could not read ${file}`, { cause: error, file });
  }
}

/** Where a (possibly symlinked) path really is; the path itself when it does not resolve (yet). */
function realTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Call `onChange` after each change of the config file (debounced). The file's state when
 * watching starts is the baseline and is not reported. Throws ConfigError("WATCH_FAILED")
 * when the directory cannot be watched.
 */
export function watchConfig(path: string, options: WatchConfigOptions): ConfigWatcher {
  const file = resolve(path);
  const name = basename(file);
  const debounceMs = options.debounceMs ?? 150;
  let last = snapshotSync(file);
  /** The file a symlinked config points at (the file itself when it is no link). */
  let target = realTarget(file);
  const initial = last === undefined ? undefined : parseConfig(last.text, { source: file });
  let lastGood = initial?.ok === true ? initial.config : undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let checking = false;
  let recheck = false;

  const fail = (error: unknown): void => {
    if (closed) return;
    const reason = error instanceof Error ? error.message : String(error);
    options.onError?.(
      new ConfigError("WATCH_FAILED", `watching ${file} failed: ${reason}`, { cause: error, file }),
    );
  };

  const check = async (): Promise<void> => {
    if (checking) {
      recheck = true;
      return;
    }
    checking = true;
    try {
      if (!closed) retarget();
      const now = await snapshot(file);
      if (closed || same(last, now)) return;
      last = now;
      const result = now === undefined ? configNotFound(file) : parseConfig(now.text, { source: file });
      if (result.ok) {
        lastGood = result.config;
        options.onChange(result);
      } else {
        options.onChange({ ...result, lastGood });
      }
    } catch (error) {
      fail(error);
    } finally {
      checking = false;
      if (recheck && !closed) {
        recheck = false;
        schedule();
      }
    }
  };

  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void check(), debounceMs);
  };

  /** One watcher per directory: the config's own, and its symlink target's when elsewhere. */
  const watchers = new Map<string, FSWatcher>();
  const watchDirectory = (dir: string): void => {
    const watcher = watch(dir, { persistent: true }, (_event, changed) => {
      // Some platforms do not name the file; then any event in the directory is checked.
      if (changed === null || changed === name || changed === basename(target)) schedule();
    });
    watcher.on("error", fail);
    watchers.set(dir, watcher);
  };
  /** Follows a repointed symlink: watches the new target's directory, drops the old one. */
  const retarget = (): void => {
    target = realTarget(file);
    const wanted = new Set([dirname(file), dirname(target)]);
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) if (!watchers.has(dir)) watchDirectory(dir);
  };
  try {
    retarget();
  } catch (error) {
    for (const watcher of watchers.values()) watcher.close();
    throw new ConfigError("WATCH_FAILED", `cannot watch the directory of ${file}`, { cause: error, file });
  }

  return {
    lastGood: () => lastGood,
    close: () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
