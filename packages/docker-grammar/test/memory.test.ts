import { describe, expect, it } from "vitest";
import { DockerGrammarError } from "../src/errors.ts";
import { formatMemoryBytes, memoryBytes, parseMemoryBytes } from "../src/memory.ts";
import { nanoCpus, parseNanoCpus } from "../src/cpus.ts";

describe("memoryBytes (go-units RAMInBytes)", () => {
  it.each([
    ["512m", 512 * 1024 ** 2],
    ["1g", 1024 ** 3],
    ["1.5GiB", 1.5 * 1024 ** 3],
    ["64MB", 64 * 1024 ** 2],
    ["64 m", 64 * 1024 ** 2],
    ["536870912", 536870912],
    ["100b", 100],
    ["1.7k", 1740],
  ])("%s → %d", (text, bytes) => {
    expect(memoryBytes(text)).toBe(bytes);
  });

  it.each(["1.2.3m", "", "m", "-1m", "1x", "1,5g", " 1g", "1gg", "1i"])("rejects %j", (text) => {
    expect(memoryBytes(text)).toBeUndefined();
    expect(() => parseMemoryBytes(text)).toThrow(DockerGrammarError);
  });

  it("formats bytes as the shortest exact size", () => {
    expect(formatMemoryBytes(1024 ** 3)).toBe("1g");
    expect(formatMemoryBytes(768 * 1024 ** 2)).toBe("768m");
    expect(formatMemoryBytes(1000)).toBe("1000");
  });
});

describe("nanoCpus", () => {
  it.each([
    ["1", 1e9],
    ["0.5", 5e8],
    [".25", 2.5e8],
    ["2.", 2e9],
    ["0.000000001", 1],
  ])("%s → %d", (text, nano) => {
    expect(nanoCpus(text)).toBe(nano);
  });

  it.each(["0", "0.0", "-1", "1,5", "50%", "0.0000000001", ""])("rejects %j", (text) => {
    expect(nanoCpus(text)).toBeUndefined();
    expect(() => parseNanoCpus(text)).toThrow(/number of CPUs/);
  });
});
