// An MCP stdio transport over a child process's pipes (a plain server process or
// a `docker run -i` CLI). Unlike the SDK's StdioClientTransport it does not own
// the process: it never spawns or kills, so stopping (and removing a container)
// stays with the caller. stdout lines that are not JSON-RPC are dropped with a
// "stdout-garbage" event instead of breaking the session; stderr is split into
// lines, emitted as "stderr" events and kept in a bounded ring buffer.
import { EventEmitter } from "node:events";
import type { Readable, Writable } from "node:stream";
import { deserializeMessage, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { LineSplitter, RingBuffer } from "./lines.ts";

export interface ProcessStdioTransportOptions {
  /** stderr lines kept for recentStderr() (default 200). */
  stderrLines?: number | undefined;
  /** Longest stdout line accepted as a message (default 10 MiB, like the SDK); longer ones are garbage. */
  maxMessageBytes?: number | undefined;
  /** Longest stderr line kept; longer ones are truncated (default 16 KiB). */
  maxStderrLineBytes?: number | undefined;
  /** Called when close() is called (by the SDK Client or anyone), before `onclose`. */
  onCloseRequested?: (() => void) | undefined;
}

export interface ProcessStdioTransportEvents {
  stderr: [line: string];
  "stdout-garbage": [line: string];
}

/** The pipes of a spawned process (a ChildProcess or an execa subprocess has them). */
export interface StdioPipes {
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
}

const GARBAGE_PREVIEW_CHARS = 2_000;

export class ProcessStdioTransport extends EventEmitter<ProcessStdioTransportEvents> implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;

  readonly #stdin: Writable;
  readonly #stderrTail: RingBuffer<string>;
  readonly #onCloseRequested: (() => void) | undefined;
  readonly #queued: JSONRPCMessage[] = [];
  #started = false;
  #closed = false;
  #stdinError: Error | undefined;

  constructor(pipes: StdioPipes, options: ProcessStdioTransportOptions = {}) {
    super();
    const { stdin, stdout, stderr } = pipes;
    if (stdin === null || stdout === null) throw new TypeError("the process needs piped stdin and stdout");
    this.#stdin = stdin;
    this.#stderrTail = new RingBuffer(options.stderrLines ?? 200);
    this.#onCloseRequested = options.onCloseRequested;

    stdin.on("error", (error) => {
      // EPIPE after the process died: report once; send() rejects from now on.
      if (this.#stdinError !== undefined) return;
      this.#stdinError = error;
      if (!this.#closed) this.onerror?.(error);
    });

    const out = new LineSplitter(options.maxMessageBytes ?? 10 * 1024 * 1024);
    stdout.on("data", (chunk: Buffer | string) => {
      for (const line of out.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)))
        this.#stdoutLine(line.text, line.truncated);
    });
    const finish = (): void => {
      for (const line of out.flush()) this.#stdoutLine(line.text, line.truncated);
      this.#finish();
    };
    stdout.once("end", finish);
    stdout.once("close", finish);
    stdout.on("error", (error) => this.onerror?.(error));

    if (stderr !== null) {
      const err = new LineSplitter(options.maxStderrLineBytes ?? 16 * 1024);
      const emit = (text: string, truncated: boolean): void => {
        const line = truncated ? `${text}…` : text;
        this.#stderrTail.push(line);
        this.emit("stderr", line);
      };
      stderr.on("data", (chunk: Buffer | string) => {
        for (const line of err.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)))
          emit(line.text, line.truncated);
      });
      stderr.once("end", () => {
        for (const line of err.flush()) emit(line.text, line.truncated);
      });
      stderr.on("error", () => {
        // stderr is diagnostics only; a broken stderr pipe does not end the session.
      });
    }
  }

  /** The last stderr lines (oldest first). */
  stderrTail(limit?: number): string[] {
    return this.#stderrTail.toArray(limit);
  }

  get closed(): boolean {
    return this.#closed;
  }

  start(): Promise<void> {
    if (this.#started) return Promise.reject(new Error("ProcessStdioTransport already started"));
    this.#started = true;
    for (const message of this.#queued.splice(0)) this.onmessage?.(message);
    if (this.#closed) this.onclose?.();
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("the server's stdio transport is closed"));
    if (this.#stdinError !== undefined) return Promise.reject(this.#stdinError);
    return new Promise((resolve, reject) => {
      this.#stdin.write(serializeMessage(message), (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /**
   * Ends the server's stdin (most servers exit on EOF) and closes the session.
   * The process itself is not this transport's: `onCloseRequested` tells its owner.
   */
  close(): Promise<void> {
    if (!this.#closed) this.#onCloseRequested?.();
    this.#finish();
    return Promise.resolve();
  }

  /** close() for the process's owner: the same, without calling `onCloseRequested`. */
  end(): void {
    this.#finish();
  }

  #stdoutLine(text: string, truncated: boolean): void {
    if (text.trim() === "") return;
    let message: JSONRPCMessage | undefined;
    if (!truncated) {
      try {
        message = deserializeMessage(text);
      } catch {
        message = undefined;
      }
    }
    if (message === undefined) {
      const preview = text.length > GARBAGE_PREVIEW_CHARS ? `${text.slice(0, GARBAGE_PREVIEW_CHARS)}…` : text;
      this.emit("stdout-garbage", truncated ? `${preview} (line too long, dropped)` : preview);
      return;
    }
    if (this.#closed) return;
    if (this.#started) this.onmessage?.(message);
    else this.#queued.push(message);
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#stdin.destroyed && !this.#stdin.writableEnded) this.#stdin.end();
    if (this.#started) this.onclose?.();
  }
}
