// Image pulls against the real engine and a registry on 127.0.0.1 (no other
// network): per-layer progress with byte counts, and failures in the engine's words.
import { randomBytes } from "node:crypto";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageExists, LifecycleError, pullImage, type PullProgress } from "../src/index.ts";
import { withDefaultTag } from "../src/pull.ts";
import { startFakeRegistry, type FakeRegistry } from "./fixtures/fake-registry.ts";

let registry: FakeRegistry;
const pulled: string[] = [];

beforeAll(async () => {
  registry = await startFakeRegistry();
});

afterAll(async () => {
  if (pulled.length > 0) await execa("docker", ["rmi", "-f", ...pulled], { reject: false });
  await registry.close();
  for (const image of pulled) expect(await imageExists(image)).toBe(false);
});

function newTag(): string {
  const tag = randomBytes(4).toString("hex");
  registry.tags.add(tag);
  return tag;
}

async function pullError(promise: Promise<unknown>): Promise<LifecycleError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LifecycleError);
  return error as LifecycleError;
}

describe("pullImage", () => {
  it("pulls through the engine API and reports each layer's bytes", async () => {
    const image = `${registry.repository}:${newTag()}`;
    pulled.push(image);
    expect(await imageExists(image)).toBe(false);
    const events: PullProgress[] = [];
    await pullImage(image, { onProgress: (event) => events.push(event) });
    expect(await imageExists(image)).toBe(true);

    const layer = registry.layerDigest.slice("sha256:".length, "sha256:".length + 12);
    const downloads = events.filter((event) => event.layer === layer && event.status === "Downloading");
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.every((event) => event.total === registry.layerSize)).toBe(true);
    const bytes = downloads.map((event) => event.current ?? 0);
    expect(Math.max(...bytes)).toBeGreaterThan(0);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(registry.layerSize);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(events.some((event) => event.layer === layer && event.status === "Pull complete")).toBe(true);
    expect(events.every((event) => event.image === image)).toBe(true);
  });

  it("pulls through `docker pull` with method cli, reporting status words per layer", async () => {
    // Its own registry: a layer the engine does not have yet.
    const other = await startFakeRegistry("mcpproxy-test-pull/cli");
    try {
      other.tags.add("v1");
      const image = `${other.repository}:v1`;
      pulled.push(image);
      const events: PullProgress[] = [];
      await pullImage(image, { method: "cli", onProgress: (event) => events.push(event) });
      expect(await imageExists(image)).toBe(true);
      const layer = other.layerDigest.slice("sha256:".length, "sha256:".length + 12);
      expect(events).toContainEqual({ image, layer, status: "Pull complete" });
    } finally {
      await other.close();
    }
  });

  it("fails quickly naming the image and the engine's words when no registry answers", async () => {
    const image = "127.0.0.1:1/mcpproxy-missing/image:1";
    for (const method of ["auto", "cli"] as const) {
      const started = Date.now();
      const error = await pullError(pullImage(image, { method }));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.code).toBe("IMAGE_PULL_FAILED");
      expect(error.image).toBe(image);
      expect(error.message).toMatch(
        /^cannot pull image 127\.0\.0\.1:1\/mcpproxy-missing\/image:1: .*dial tcp 127\.0\.0\.1:1: connect: connection refused/,
      );
    }
  });

  it("fails with the registry's words for a tag that does not exist", async () => {
    const image = `${registry.repository}:no-such-tag`;
    const error = await pullError(pullImage(image));
    expect(error.code).toBe("IMAGE_PULL_FAILED");
    expect(error.message).toMatch(/manifest unknown|not found/);
  });

  it("fails with ENGINE_UNREACHABLE when the engine does not answer, either way", async () => {
    const docker = {
      env: { DOCKER_HOST: "unix:///tmp/mcpproxy-dead-engine.sock", DOCKER_CONTEXT: undefined },
    };
    for (const method of ["auto", "cli"] as const) {
      const error = await pullError(pullImage(`${registry.repository}:x`, { docker, method }));
      expect(error.code).toBe("ENGINE_UNREACHABLE");
      expect(error.message).toMatch(
        /^cannot reach the Docker engine at unix:\/\/\/tmp\/mcpproxy-dead-engine\.sock/,
      );
    }
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    controller.abort(new Error("changed my mind"));
    await expect(
      pullImage(`${registry.repository}:${newTag()}`, { signal: controller.signal }),
    ).rejects.toThrow("changed my mind");
  });
});

describe("withDefaultTag", () => {
  it("adds :latest only to references without a tag or digest", () => {
    expect(withDefaultTag("alpine")).toBe("alpine:latest");
    expect(withDefaultTag("127.0.0.1:5000/team/app")).toBe("127.0.0.1:5000/team/app:latest");
    expect(withDefaultTag("python:3.11")).toBe("python:3.11");
    expect(withDefaultTag("127.0.0.1:5000/app:1")).toBe("127.0.0.1:5000/app:1");
    expect(withDefaultTag(`alpine@sha256:${"a".repeat(64)}`)).toBe(`alpine@sha256:${"a".repeat(64)}`);
  });
});
