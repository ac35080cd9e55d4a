import { describe, expect, it } from "vitest";
import { LineSplitter, RingBuffer } from "../src/lines.ts";

const texts = (lines: { text: string; truncated: boolean }[]): string[] => lines.map((line) => line.text);

describe("LineSplitter", () => {
  it("joins lines split across chunks and drops a trailing \\r", () => {
    const splitter = new LineSplitter(1024);
    expect(texts(splitter.push(Buffer.from('{"a"')))).toEqual([]);
    expect(texts(splitter.push(Buffer.from(":1}\r\nsecond\nthi")))).toEqual(['{"a":1}', "second"]);
    expect(texts(splitter.push(Buffer.from("rd\n")))).toEqual(["third"]);
    expect(splitter.flush()).toEqual([]);
  });

  it("keeps multi-byte characters split across chunks intact", () => {
    const splitter = new LineSplitter(1024);
    const bytes = Buffer.from("héllo→\n");
    expect(texts(splitter.push(bytes.subarray(0, 2)))).toEqual([]);
    expect(texts(splitter.push(bytes.subarray(2)))).toEqual(["héllo→"]);
  });

  it("reports an over-long line once, truncated, and resumes after its newline", () => {
    const splitter = new LineSplitter(8);
    const first = splitter.push(Buffer.from("0123456789abcdef"));
    expect(first).toEqual([{ text: "01234567", truncated: true }]);
    expect(splitter.push(Buffer.from("ghij"))).toEqual([]);
    expect(splitter.push(Buffer.from("klm\nok\n"))).toEqual([{ text: "ok", truncated: false }]);
  });

  it("returns the last unterminated line on flush", () => {
    const splitter = new LineSplitter(64);
    splitter.push(Buffer.from("a\nlast"));
    expect(splitter.flush()).toEqual([{ text: "last", truncated: false }]);
    expect(splitter.flush()).toEqual([]);
  });
});

describe("RingBuffer", () => {
  it("keeps the newest items, oldest first", () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i += 1) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.toArray(2)).toEqual([4, 5]);
    expect(ring.toArray(10)).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
  });

  it("refuses a capacity below 1", () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
