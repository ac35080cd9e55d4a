// Engine questions against the real engine: images, container state and logs
// (where the engine is and whether it answers: engine-info.test.ts).
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

describe("imageExists", () => {
  it("is true for a local image and false for a missing one, without pulling", async () => {
    expect(await imageExists(images.node)).toBe(true);
    expect(await imageExists("127.0.0.1:1/mcpproxy-missing/image:1")).toBe(false);
  });

  it("throws ENGINE_UNREACHABLE when the engine does not answer", async () => {
    const error = await imageExists(images.node, deadEngine).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LifecycleError);
    expect((error as LifecycleError).code).toBe("ENGINE_UNREACHABLE");
    expect((error as LifecycleError).phase).toBe("engine");
  });
});

describe("inspectContainer / containerLogs", () => {
  it("reports a running container's state and its stderr log, and undefined once it is gone", async () => {
    const handle = await startServer(
      serverConfig("logged", "mcp-server-everything", ["stdio"]),
      isolated(images.everything),
      { instanceId: instanceId("logs") },
    );
    const id = handle.container?.id ?? "";
    const info = await inspectContainer(id);
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
    const logs = await containerLogs(id, { tail: 50 });
    expect(logs.stderr.join("\n")).toMatch(/Starting default \(STDIO\) server/);
    await handle.stop();
    expect(await inspectContainer(id)).toBeUndefined();
    await expect(containerLogs(id)).rejects.toThrow(/No such container/i);
  });
});
