// Follows one server's log file for GET /servers/{name}/logs/follow: the last
// lines first, then every line as it reaches the file. Woken by a watch on the
// log directory (the file itself is renamed away when it rotates), with a
// periodic check as a safety net; a rotation or truncation starts over at the
// new file's beginning. Lines are formatted as GET /servers/{name}/logs does,
// and the first ones reach into the rotated file (<file>.1) as it does.
import { watch, type FSWatcher } from "node:fs";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { formatLogLine } from "@mcpproxy/diagnostics";

/** How often the file is checked when no watch event came (missed events, rotation). */
export const FOLLOW_CHECK_MS = 1_000;
/** At most this much of the file is read for the first lines. */
const MAX_TAIL_BYTES = 16 * 1024 * 1024;
/** Bytes read per step while catching up. */
const READ_CHUNK_BYTES = 1024 * 1024;

export interface LogFollower {
  /** The last `tail` formatted lines of the current file (empty when there is no file yet). */
  readonly initial: string[];
  /** Resolves when the file may have new lines (a watch event or the periodic check), or on close. */
  changed(): Promise<void>;
  /** The formatted lines written since the last call. */
  read(): Promise<string[]>;
  close(): void;
}

async function fileState(file: string): Promise<{ size: number; ino: number } | undefined> {
  try {
    const info = await stat(file);
    return { size: info.size, ino: info.ino };
  } catch {
    return undefined;
  }
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const formatted = (lines: string[]): string[] =>
  lines.filter((line) => line.trim() !== "").map(formatLogLine);

async function lastLines(file: string, size: number, tail: number): Promise<string[]> {
  if (size === 0) return [];
  const start = Math.max(0, size - Math.min(MAX_TAIL_BYTES, Math.max(256 * 1024, tail * 2048)));
  const lines = (await readRange(file, start, size)).toString("utf8").split("\n");
  // A window that starts inside the file starts inside a line: drop that piece.
  if (start > 0) lines.shift();
  return formatted(lines).slice(-tail);
}

export async function followLogFile(file: string, tail: number): Promise<LogFollower> {
  let current = await fileState(file);
  const initial = current === undefined ? [] : await lastLines(file, current.size, tail);
  // Just rotated: the rest of the first lines are at the end of the previous file (closed, it no longer grows).
  const previous = initial.length < tail ? await fileState(`${file}.1`) : undefined;
  if (previous !== undefined) {
    initial.unshift(...(await lastLines(`${file}.1`, previous.size, tail - initial.length)));
  }
  let offset = current?.size ?? 0;
  let partial = "";
  // Keeps a UTF-8 character split between two reads whole.
  let decoder = new StringDecoder("utf8");
  let wake: (() => void) | undefined;
  /** A watch event came since the last read (it may come while nobody waits). */
  let pending = false;
  let closed = false;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(path.dirname(file), (_event, name) => {
      if (name !== null && name !== path.basename(file)) return;
      pending = true;
      wake?.();
    });
    watcher.on("error", () => watcher?.close());
  } catch {
    // No watch (e.g. too many watchers): the periodic check still follows the file.
  }

  return {
    initial,
    changed: () =>
      new Promise<void>((resolve) => {
        if (closed || pending) return resolve();
        const timer = setTimeout(resolve, FOLLOW_CHECK_MS);
        wake = () => {
          wake = undefined;
          clearTimeout(timer);
          resolve();
        };
      }),
    async read() {
      pending = false;
      const now = await fileState(file);
      if (now === undefined) return [];
      if (current === undefined || now.ino !== current.ino || now.size < offset) {
        // A new file (rotated, recreated or truncated): its lines are all new.
        offset = 0;
        partial = "";
        decoder = new StringDecoder("utf8");
      }
      current = now;
      const lines: string[] = [];
      while (offset < now.size) {
        const end = Math.min(now.size, offset + READ_CHUNK_BYTES);
        const chunk = await readRange(file, offset, end);
        if (chunk.length === 0) break;
        offset += chunk.length;
        const pieces = (partial + decoder.write(chunk)).split("\n");
        // The last piece has no newline yet: it is completed by a later write.
        partial = pieces.pop() ?? "";
        lines.push(...formatted(pieces));
      }
      return lines;
    },
    close() {
      closed = true;
      watcher?.close();
      wake?.();
    },
  };
}
