// Questions about images and containers against the real engine, through the
// Engine API and through the docker CLI: whether an image is present, a
// container's state and logs.
import { ensureTestImages, type TestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerLogs, imageExists, inspectContainer, LifecycleError, startServer } from "../src/index.ts";
import { instanceId, isolated, removeRunContainers, runContainers, serverConfig } from "./helpers.ts";

const deadEngine = {
  env: { DOCKER_HOST: "unix:///tmp/mcpproxy-dead-engine.sock", DOCKER_CONTEXT: undefined },
};
let images: TestImages;

beforeAll(async () => {
  images = await ensureTestImages();
});

afterAll(async () => {
  expect(await removeRunContainers()).toBe(0);
  expect(await runContainers()).toEqual([]);
});

// Through the Engine API (the default) and through the docker CLI (ssh endpoints, podman, `containerLaunch: "cli"`).
const METHODS = ["api", "cli"] as const;

describe.each(METHODS)("imageExists (%s)", (method) => {
  it("is true for a local image and false for a missing one, without pulling", async () => {
    expect(await imageExists(images.node, undefined, method)).toBe(true);
    expect(await imageExists("127.0.0.1:1/mcpproxy-missing/image:1", undefined, method)).toBe(false);
  });

  it("throws ENGINE_UNREACHABLE when the engine does not answer", async () => {
    const error = await imageExists(images.node, deadEngine, method).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LifecycleError);
    expect((error as LifecycleError).code).toBe("ENGINE_UNREACHABLE");
    expect((error as LifecycleError).phase).toBe("engine");
  });
});

describe.each(METHODS)("inspectContainer / containerLogs (%s)", (method) => {
  it("reports a running container's state and its stderr log, and undefined once it is gone", async () => {
    const handle = await startServer(
      serverConfig("logged", "mcp-server-everything", ["stdio"]),
      isolated(images.everything),
      { instanceId: instanceId(`logs-${method}`), containerLaunch: method },
    );
    const id = handle.container?.id ?? "";
    const info = await inspectContainer(id, undefined, method);
    expect(info).toMatchObject({
      id,
      name: handle.container?.name,
      status: "running",
      running: true,
      oomKilled: false,
    });
    expect(info?.startedAt).toBeInstanceOf(Date);
    expect(info?.finishedAt).toBeUndefined();
    expect(info?.error).toBeUndefined();
    const logs = await containerLogs(id, { tail: 50, method });
    expect(logs.stderr.join("\n")).toMatch(/Starting default \(STDIO\) server/);
    expect(logs.stdout.join("\n")).toMatch(/"jsonrpc":"2\.0"/); // the initialize answer, split from stderr
    await handle.stop();
    expect(await inspectContainer(id, undefined, method)).toBeUndefined();
    await expect(containerLogs(id, { method })).rejects.toThrow(/No such container/i);
  });
});
