import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Limiter } from "../src/limiter.ts";

describe("Limiter", () => {
  it("never runs more than max tasks at once, and runs them all", async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const task = async (): Promise<void> => {
      const release = await limiter.acquire();
      running += 1;
      peak = Math.max(peak, running);
      await sleep(10);
      running -= 1;
      release();
    };
    await Promise.all(Array.from({ length: 7 }, task));
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it("rejects a waiter whose signal aborts, without taking a slot", async () => {
    const limiter = new Limiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    release();
    expect(limiter.active).toBe(0);
    const again = await limiter.acquire();
    expect(limiter.active).toBe(1);
    again();
    again(); // releasing twice is harmless
    expect(limiter.active).toBe(0);
  });
});
