// The setup of the CLI test files that need the engine: the test images once
// per file, a fresh sandbox per test, removed after it.
import { ensureTestImages, type TestImages } from "@mcpproxy/test-images";
import { afterEach, beforeAll, beforeEach } from "vitest";
import { createSandbox, type Sandbox } from "./run-cli.ts";

export interface EngineSandbox {
  /** The test images (set before the first test). */
  readonly images: TestImages;
  /** This test's sandbox (a new one per test). */
  readonly sandbox: Sandbox;
}

/** Registers the hooks; call once at the top of a test file. */
export function engineSandboxPerTest(): EngineSandbox {
  let images: TestImages | undefined;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    images = await ensureTestImages();
  });
  beforeEach(async () => {
    sandbox = await createSandbox();
  });
  afterEach(async () => {
    await sandbox?.cleanup();
    sandbox = undefined;
  });
  return {
    get images() {
      if (images === undefined) throw new Error("the test images are built in beforeAll: use them in a test");
      return images;
    },
    get sandbox() {
      if (sandbox === undefined) throw new Error("a sandbox exists only while a test runs");
      return sandbox;
    },
  };
}
