// The main log and one log per server, as pino loggers writing JSON lines to
// size-rotated files (rotating-file-stream), optionally mirrored to a terminal
// in pino-pretty's human format.
import { mkdirSync, accessSync, constants as fsConstants } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { LogLevel } from "@mcpproxy/config";
import { pino, type Logger, type LoggerOptions, type StreamEntry } from "pino";
import { createStream, type RotatingFileStream } from "rotating-file-stream";
import { DiagnosticsError } from "./errors.ts";
import { MAIN_LOG_FILE_NAME, serverLogFileName } from "./log-dir.ts";
import { prettyConsole, type PrettyConsole } from "./pretty-console.ts";

export interface LogManagerOptions {
  /** Directory of main.log and server-<name>.log; created when missing. */
  logDir: string;
  level: LogLevel;
  /**
   * Human-readable (pino-pretty) output on the console stream instead of JSON.
   * Files are always JSON lines. `pretty: true` without `console` mirrors the
   * main log to process.stderr. Default: whether `console` is a TTY.
   */
  pretty?: boolean | undefined;
  /**
   * Where to mirror the main log (not the per-server logs), e.g. process.stderr.
   * Default: process.stderr when `pretty` is true, otherwise no mirror.
   */
  console?: NodeJS.WritableStream | false | undefined;
  /** Rotate a file once it grows past this many bytes. Default 10 MB. */
  maxFileBytes?: number | undefined;
  /** How many rotated files to keep per log (`.1` newest … `.N` oldest), besides the current one. Default 3. */
  maxFiles?: number | undefined;
  /**
   * Bytes a server log may have waiting for its file before that server's
   * stderr lines are dropped (counted, and reported in one warn line once the
   * file catches up) instead of piling up in memory. Default 2 MB.
   */
  maxPendingBytes?: number | undefined;
}

export interface ReadLogOptions {
  /** Return at most this many lines, the newest ones. Default 100. */
  tail?: number | undefined;
}

export interface LogManager {
  readonly logDir: string;
  /** The main log (main.log, plus the console mirror). */
  readonly main: Logger;
  readonly mainLogPath: string;
  /** The logger of one server (server-<name>.log); the same instance on every call. */
  server(name: string): Logger;
  /**
   * Writes one stderr line of a server to its log at info level with
   * `stream: "stderr"`. Unlike the server's other records these may be dropped:
   * while the file lags `maxPendingBytes` behind, lines are counted instead of
   * buffered; when it has caught up, one warn line tells how many were dropped,
   * followed by the last dropped line (a server's last words are kept). Lines
   * longer than 64 KiB are truncated with a marker.
   */
  serverStderr(name: string, line: string): void;
  serverLogPath(name: string): string;
  /** The last lines (raw JSON lines) of a server's log, oldest first; reads into rotated files when needed. */
  readServerLog(name: string, options?: ReadLogOptions): Promise<string[]>;
  /** The last lines of main.log, like readServerLog. */
  readMainLog(options?: ReadLogOptions): Promise<string[]>;
  /** Resolves when every line logged so far is in its file. */
  flush(): Promise<void>;
  /** Flushes and closes every file; later log calls are dropped. Idempotent. */
  close(): Promise<void>;
}

/** Mode of a log directory the proxy creates (owner only). */
export const LOG_DIR_MODE = 0o700;
/** Mode of a log file the proxy creates (owner read/write only). */
export const LOG_FILE_MODE = 0o600;
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 3;
export const DEFAULT_MAX_PENDING_BYTES = 2 * 1024 * 1024;
/** Longest stderr line written as is; longer ones keep this many characters and a marker. */
export const MAX_STDERR_LINE_CHARS = 64 * 1024;
const DEFAULT_TAIL = 100;

/** Field names whose values never reach a log file. */
const REDACT_PATHS = ["env.*", "*.env.*", "api_key", "apiKey", "*.api_key", "*.apiKey", "authorization"];

/** Creates the log directory and the main log; server logs open on first use. */
export function createLogManager(options: LogManagerOptions): LogManager {
  const maxFileBytes = positiveInteger(options.maxFileBytes, DEFAULT_MAX_FILE_BYTES, "maxFileBytes");
  const maxFiles = positiveInteger(options.maxFiles, DEFAULT_MAX_FILES, "maxFiles");
  const maxPendingBytes = positiveInteger(
    options.maxPendingBytes,
    DEFAULT_MAX_PENDING_BYTES,
    "maxPendingBytes",
  );
  const logDir = path.resolve(options.logDir);
  try {
    // Logs hold server output and config details: owner-only, like the config file.
    mkdirSync(logDir, { recursive: true, mode: LOG_DIR_MODE });
    accessSync(logDir, fsConstants.W_OK);
  } catch (cause) {
    throw new DiagnosticsError("LOG_DIR_UNWRITABLE", `cannot write logs to ${logDir}: ${errorText(cause)}`, {
      cause,
    });
  }

  const consoleStream =
    options.console === undefined
      ? options.pretty === true
        ? process.stderr
        : undefined
      : options.console || undefined;
  const pretty = options.pretty ?? (consoleStream !== undefined && isTty(consoleStream));

  const files = new Map<string, RotatingFileStream>();
  const servers = new Map<string, ServerLog>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const openFile = (fileName: string, onError: (error: Error) => void): RotatingFileStream => {
    const stream = createStream(
      (index: number | Date | null) => (index ? `${fileName}.${String(index)}` : fileName),
      {
        path: logDir,
        size: `${maxFileBytes}B`,
        rotate: maxFiles,
        mode: LOG_FILE_MODE,
      },
    );
    stream.on("error", onError);
    files.set(fileName, stream);
    return stream;
  };

  const loggerOptions = (bindings: Record<string, unknown>): LoggerOptions => ({
    level: options.level,
    base: { pid: process.pid, ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // A field already bound to the logger (a server log's `server`) is not repeated
      // when a caller passes it again, so each line stays valid, duplicate-free JSON.
      log: (object) => omitKeys(object, Object.keys(bindings)),
    },
    redact: { paths: REDACT_PATHS, censor: "***" },
  });

  const mainFile = openFile(MAIN_LOG_FILE_NAME, (error) => {
    consoleStream?.write(
      `mcpproxy: writing ${path.join(logDir, MAIN_LOG_FILE_NAME)} failed: ${error.message}\n`,
    );
  });
  const mainStreams: StreamEntry<LogLevel>[] = [{ level: options.level, stream: mainFile }];
  let prettyMirror: PrettyConsole | undefined;
  if (consoleStream !== undefined) {
    if (pretty) prettyMirror = prettyConsole(consoleStream, isTty(consoleStream));
    mainStreams.push({ level: options.level, stream: prettyMirror ?? consoleStream });
  }
  const main = pino<never>(loggerOptions({}), pino.multistream(mainStreams));

  const serverLog = (name: string): ServerLog => {
    const fileName = checkedFileName(name);
    const existing = servers.get(fileName);
    if (existing) return existing;
    if (closed)
      throw new DiagnosticsError("LOGS_CLOSED", `the log manager is closed; cannot open the log of ${name}`);
    const stream = openFile(fileName, (error) => {
      main.error({ server: name, file: path.join(logDir, fileName), err: error }, "server log write failed");
    });
    const logger = pino<never>(loggerOptions({ server: name }), stream);
    const log: ServerLog = { name, logger, stream, dropping: false, droppedLines: 0, droppedBytes: 0 };
    servers.set(fileName, log);
    return log;
  };

  /** Ends a dropping spell: the warn line with the counts, then the last dropped line. */
  const reportDropped = (log: ServerLog): void => {
    const { droppedLines, droppedBytes, lastDropped } = log;
    log.dropping = false;
    log.droppedLines = 0;
    log.droppedBytes = 0;
    log.lastDropped = undefined;
    if (droppedLines > 0) {
      log.logger.warn(
        { dropped_lines: droppedLines, dropped_bytes: droppedBytes },
        `dropped ${droppedLines} stderr lines (${droppedBytes} bytes) from server ${log.name}: the log could not keep up`,
      );
    }
    if (lastDropped !== undefined) log.logger.info({ stream: "stderr" }, lastDropped);
  };

  const serverStderr = (name: string, line: string): void => {
    const log = serverLog(name);
    if (closed || !log.logger.isLevelEnabled("info")) return;
    const text = truncateLine(line.replace(/\r$/, ""));
    // Never below the stream's high-water mark: only past it does "drain" follow.
    const limit = Math.max(maxPendingBytes, log.stream.writableHighWaterMark);
    if (!log.dropping && log.stream.writableLength < limit) {
      log.logger.info({ stream: "stderr" }, text);
      return;
    }
    if (!log.dropping) {
      log.dropping = true;
      // A write has returned false, so "drain" follows once everything pending is in the file.
      log.stream.once("drain", () => {
        if (!closed) reportDropped(log);
      });
    }
    if (log.lastDropped !== undefined) {
      log.droppedLines += 1;
      log.droppedBytes += Buffer.byteLength(log.lastDropped);
    }
    log.lastDropped = text;
  };

  const flushStream = (stream: RotatingFileStream): Promise<void> =>
    new Promise((resolve) => {
      if (stream.writableEnded || stream.destroyed) {
        resolve();
        return;
      }
      // Writes are processed in order: the callback of an empty write runs
      // once everything written before it has reached the file.
      stream.write("", () => resolve());
    });

  const readLog = async (fileName: string, tail: number): Promise<string[]> => {
    const stream = files.get(fileName);
    if (stream) await flushStream(stream);
    let lines: string[] = [];
    for (let index = 0; index <= maxFiles && lines.length < tail; index++) {
      const file = path.join(logDir, index === 0 ? fileName : `${fileName}.${index}`);
      const text = await readIfExists(file);
      if (text === undefined) break;
      lines = [...text.split("\n").filter((line) => line.trim() !== ""), ...lines];
    }
    return lines.slice(-tail);
  };

  return {
    logDir,
    main,
    mainLogPath: path.join(logDir, MAIN_LOG_FILE_NAME),
    server: (name) => serverLog(name).logger,
    serverStderr,
    serverLogPath: (name) => path.join(logDir, checkedFileName(name)),
    readServerLog: (name, readOptions) => readLog(checkedFileName(name), tailOf(readOptions)),
    readMainLog: (readOptions) => readLog(MAIN_LOG_FILE_NAME, tailOf(readOptions)),
    flush: async () => {
      await prettyMirror?.settled();
      const dropping = [...servers.values()].filter((log) => log.dropping).map((log) => log.stream);
      await Promise.all([...files.values()].map(flushStream));
      // The drop report is written on "drain", just before the flush callbacks run.
      await Promise.all(dropping.map(flushStream));
    },
    close: () => {
      closing ??= (async () => {
        await prettyMirror?.settled();
        for (const log of servers.values()) if (log.dropping) reportDropped(log);
        closed = true;
        main.level = "silent";
        for (const log of servers.values()) log.logger.level = "silent";
        await Promise.all(
          [...files.values()].map(
            (stream) =>
              new Promise<void>((resolve) => {
                if (stream.writableEnded || stream.destroyed) resolve();
                else stream.end(() => resolve());
              }),
          ),
        );
      })();
      return closing;
    },
  };
}

interface ServerLog {
  name: string;
  logger: Logger;
  stream: RotatingFileStream;
  /** Whether stderr lines are being dropped until the file catches up. */
  dropping: boolean;
  droppedLines: number;
  droppedBytes: number;
  /** The newest stderr line not written yet, written after the drop report. */
  lastDropped?: string | undefined;
}

function truncateLine(line: string): string {
  if (line.length <= MAX_STDERR_LINE_CHARS) return line;
  return `${line.slice(0, MAX_STDERR_LINE_CHARS)}… [truncated ${line.length - MAX_STDERR_LINE_CHARS} characters]`;
}

function omitKeys(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  if (!keys.some((key) => Object.hasOwn(object, key))) return object;
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function checkedFileName(name: string): string {
  if (name.trim() === "")
    throw new DiagnosticsError("INVALID_SERVER_NAME", "a server name must not be empty");
  return serverLogFileName(name);
}

function tailOf(options: ReadLogOptions | undefined): number {
  return positiveInteger(options?.tail, DEFAULT_TAIL, "tail");
}

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${what} must be a positive integer, got ${value}`);
  return value;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DiagnosticsError("LOG_READ_FAILED", `cannot read ${file}: ${errorText(cause)}`, { cause });
  }
}

function isTty(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
