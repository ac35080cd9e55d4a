import { describe, expect, it } from "vitest";
import { memoryNearLimitFinding } from "../src/index.ts";

const MiB = 1024 * 1024;

describe("memoryNearLimitFinding", () => {
  it("names the use and suggests twice the memory_limit as a config snippet", () => {
    const finding = memoryNearLimitFinding({
      serverName: "fetch",
      usedBytes: 120 * MiB,
      limitBytes: 128 * MiB,
      percent: 93.75,
      memoryLimit: "128m",
    });
    expect(finding?.code).toBe("memory-near-limit");
    expect(finding?.title).toBe("Memory near its limit: 93.8 % of 128m in use");
    expect(finding?.fix).toContain("`isolation.memory_limit` (now 128m) to 256m");
    expect(finding?.configSnippet).toEqual({
      mcpServers: [{ name: "fetch", isolation: { memory_limit: "256m" } }],
    });
  });

  it("says nothing at or below 90 %, or without a limit", () => {
    expect(
      memoryNearLimitFinding({ serverName: "a", usedBytes: 90, limitBytes: 100, percent: 90 }),
    ).toBeUndefined();
    expect(
      memoryNearLimitFinding({ serverName: "a", usedBytes: 1, limitBytes: 0, percent: 0 }),
    ).toBeUndefined();
  });
});
