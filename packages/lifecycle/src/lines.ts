// Bounded line handling for child process output: a splitter that never holds
// more than one (capped) line, and a ring buffer of the most recent lines.

export interface SplitLine {
  text: string;
  /** The line was longer than the cap: `text` is its first `maxLineBytes` bytes. */
  truncated: boolean;
}

/**
 * Splits a byte stream into lines (`\n`, with a trailing `\r` dropped). A line
 * longer than `maxLineBytes` is reported once, truncated, and the rest of it up
 * to the next newline is discarded, so memory stays bounded.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #discarding = false;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  push(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.#discarding) this.#append(chunk.subarray(start, end), lines);
      if (newline === -1) break;
      if (this.#discarding) this.#discarding = false;
      else lines.push({ text: this.#take(), truncated: false });
      start = newline + 1;
    }
    return lines;
  }

  /** The last line when the stream ended without a newline. */
  flush(): SplitLine[] {
    if (this.#discarding || this.#pendingBytes === 0) {
      this.#discarding = false;
      this.#pending = [];
      this.#pendingBytes = 0;
      return [];
    }
    return [{ text: this.#take(), truncated: false }];
  }

  #append(part: Buffer, lines: SplitLine[]): void {
    if (this.#pendingBytes + part.length <= this.#maxLineBytes) {
      if (part.length > 0) this.#pending.push(part);
      this.#pendingBytes += part.length;
      return;
    }
    this.#pending.push(part.subarray(0, this.#maxLineBytes - this.#pendingBytes));
    lines.push({ text: this.#take(), truncated: true });
    this.#discarding = true;
  }

  #take(): string {
    const text = Buffer.concat(this.#pending).toString("utf8").replace(/\r$/, "");
    this.#pending = [];
    this.#pendingBytes = 0;
    return text;
  }
}

/** Keeps the last `capacity` items. */
export class RingBuffer<T> {
  readonly capacity: number;
  #items: T[] = [];
  #next = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be a positive integer");
    this.capacity = capacity;
  }

  push(item: T): void {
    if (this.#items.length < this.capacity) {
      this.#items.push(item);
      return;
    }
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Oldest first; the last `limit` items when given. */
  toArray(limit?: number): T[] {
    const ordered = [...this.#items.slice(this.#next), ...this.#items.slice(0, this.#next)];
    return limit === undefined ? ordered : ordered.slice(Math.max(0, ordered.length - limit));
  }

  get size(): number {
    return this.#items.length;
  }

  clear(): void {
    this.#items = [];
    this.#next = 0;
  }
}
