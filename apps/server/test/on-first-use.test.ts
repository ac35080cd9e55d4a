import { describe, expect, it } from "vitest";
import { onFirstUse } from "../src/on-first-use.ts";

describe("onFirstUse", () => {
  it("builds nothing until asked, then once for every caller", async () => {
    let builds = 0;
    const value = onFirstUse(() => Promise.resolve(++builds));
    expect(value.started).toBe(false);
    expect(value.value).toBeUndefined();
    expect(builds).toBe(0);

    const [a, b] = await Promise.all([value.get(), value.get()]);
    expect([a, b, await value.get()]).toEqual([1, 1, 1]);
    expect(builds).toBe(1);
    expect(value.value).toBe(1);
    expect(value.started).toBe(true);
  });

  it("tries a failed build again on the next call", async () => {
    let builds = 0;
    const value = onFirstUse(() =>
      ++builds === 1 ? Promise.reject(new Error("first build failed")) : Promise.resolve("built"),
    );
    await expect(value.get()).rejects.toThrow("first build failed");
    expect(value.value).toBeUndefined();
    expect(value.started).toBe(false);
    expect(await value.get()).toBe("built");
    expect(builds).toBe(2);
  });
});
