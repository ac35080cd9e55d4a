// The setup of a test file that starts servers on the engine: the test images
// before its tests; after them every tracked handle or manager stopped and no
// container of this run left on the engine.
import { ensureTestImages, type TestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, expect } from "vitest";
import { removeRunContainers, runContainers } from "./helpers.ts";

type Stoppable = { stop(): Promise<unknown> } | { stopAll(): Promise<unknown> };

export interface EngineSuite<T extends Stoppable> {
  /** The test images (set before the first test). */
  readonly images: TestImages;
  /** Push what a test starts: stopped after the file's tests. */
  readonly running: T[];
}

/** Registers the hooks; call once at the top of a test file. */
export function engineSuite<T extends Stoppable>(
  options: { leftoversExpected?: boolean } = {},
): EngineSuite<T> {
  let images: TestImages | undefined;
  const running: T[] = [];
  beforeAll(async () => {
    images = await ensureTestImages();
  });
  afterAll(async () => {
    await Promise.all(running.map((item) => ("stopAll" in item ? item.stopAll() : item.stop())));
    const removed = await removeRunContainers();
    // A stop removes its container: one left means a leak, unless the file leaves some on purpose.
    if (options.leftoversExpected !== true) expect(removed).toBe(0);
    expect(await runContainers()).toEqual([]);
  });
  return {
    get images() {
      if (images === undefined) throw new Error("the test images are built in beforeAll: use them in a test");
      return images;
    },
    running,
  };
}
