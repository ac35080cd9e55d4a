// The sharing rule of prepared-image builds (no engine needed: the build is a
// function here; the real build is covered by prepare-build.test.ts).
import { PrepareError } from "@mcpproxy/prepare";
import { describe, expect, it } from "vitest";
import { joinSharedBuild } from "../src/prepare-shared.ts";

function controllable(): {
  start: (signal: AbortSignal, emit: (p: string) => void) => Promise<string>;
  starts: () => number;
  emit: (p: string) => void;
  finish: (value: string) => void;
  signal: () => AbortSignal | undefined;
} {
  let count = 0;
  let emitter: ((p: string) => void) | undefined;
  let resolve: ((value: string) => void) | undefined;
  let seen: AbortSignal | undefined;
  return {
    start: (signal, emit) => {
      count += 1;
      emitter = emit;
      seen = signal;
      return new Promise<string>((done, fail) => {
        resolve = done;
        signal.addEventListener("abort", () => fail(new PrepareError("BUILD_CANCELED", "canceled")));
      });
    },
    starts: () => count,
    emit: (p) => emitter?.(p),
    finish: (value) => resolve?.(value),
    signal: () => seen,
  };
}

describe("joinSharedBuild", () => {
  it("runs one build for every waiter of a key and gives each the progress", async () => {
    const build = controllable();
    const a: string[] = [];
    const b: string[] = [];
    const first = joinSharedBuild("k1", build.start, { onProgress: (p: string) => a.push(p) });
    const second = joinSharedBuild("k1", build.start, { onProgress: (p: string) => b.push(p) });
    build.emit("step 1/2");
    build.finish("sha256:x");
    await expect(Promise.all([first, second])).resolves.toEqual(["sha256:x", "sha256:x"]);
    expect(build.starts()).toBe(1);
    expect(a).toEqual(["step 1/2"]);
    expect(b).toEqual(["step 1/2"]);
  });

  it("a waiter that leaves does not cancel the build others wait for; the last one does", async () => {
    const build = controllable();
    const leaving = new AbortController();
    const staying = new AbortController();
    const first = joinSharedBuild("k2", build.start, { signal: leaving.signal });
    const second = joinSharedBuild("k2", build.start, { signal: staying.signal });
    leaving.abort();
    await expect(first).rejects.toMatchObject({ code: "BUILD_CANCELED" });
    expect(build.signal()?.aborted).toBe(false);
    staying.abort();
    await expect(second).rejects.toMatchObject({ code: "BUILD_CANCELED" });
    expect(build.signal()?.aborted).toBe(true);
    // The next waiter starts a fresh build.
    const again = controllable();
    const third = joinSharedBuild("k2", again.start, {});
    again.finish("sha256:y");
    await expect(third).resolves.toBe("sha256:y");
    expect(again.starts()).toBe(1);
  });
});
