// The sentences of a call that failed because its upstream went away under it.
import { describe, expect, it } from "vitest";
import { describeCallFailure } from "../src/upstream-diagnosis.ts";
import type { UpstreamEntry, UpstreamState } from "../src/upstream-types.ts";

function entry(state: UpstreamState): UpstreamEntry {
  return {
    name: "files",
    config: { name: "files", command: "node", args: [], env: {}, enabled: true },
    isolation: { enabled: false, reason: "server-disabled", detail: "off", timeout_ms: 1_000 },
    state,
    handle: undefined,
    tools: [],
  };
}

describe("describeCallFailure", () => {
  it("never reports ready for a failed call whose state has not caught up yet", () => {
    const text = describeCallFailure(entry("ready"), "read", "connection closed");
    expect(text).toContain('upstream server "files" failed during the call to "read" (connection closed)');
    expect(text).toMatch(/re-evaluated/);
    expect(text).not.toMatch(/ is ready\b/);
  });

  it("names the real state once it is known", () => {
    const text = describeCallFailure(entry("failed"), "read", "connection closed");
    expect(text).toMatch(/^call to "read" failed \(connection closed\): upstream server "files" is failed/);
  });
});
