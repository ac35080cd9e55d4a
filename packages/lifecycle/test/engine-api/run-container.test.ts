// runContainer and the container calls against the real engine: an MCP session
// over an attached container, its exit seen by the wait, failures that leave no
// container, and calls that time out or find no engine.
import { createServer, type Server, type Socket } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildContainerSpec, renderCreateRequest } from "@mcpproxy/docker-args";
import { ensureTestImages, type TestImages } from "@mcpproxy/test-images";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { waitFor } from "@mcpproxy/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EngineApiError,
  EngineClient,
  inspectContainerApi,
  removeContainer,
  runContainer,
  stopContainer,
  type RunningContainer,
} from "../../src/index.ts";
import { instanceId, isolated, removeRunContainers, runContainers, tinyServer } from "../helpers.ts";

let images: TestImages;
const client = new EngineClient();
const running: RunningContainer[] = [];

beforeAll(async () => {
  images = await ensureTestImages();
});

afterAll(async () => {
  for (const container of running) await removeContainer(client, container.id);
  expect(await removeRunContainers()).toBe(0);
  expect(await runContainers()).toEqual([]);
});

function tinyCreate(name: string, image: string, label = "api-run") {
  const spec = buildContainerSpec(tinyServer(name, "serve"), isolated(image, { memory_limit: "128m" }), {
    instanceId: instanceId(label),
  });
  return renderCreateRequest(spec, { removeOnExit: false });
}

async function failure(promise: Promise<unknown>): Promise<EngineApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineApiError);
  return error as EngineApiError;
}

describe("runContainer", () => {
  it("runs an MCP session over the attached container and sees its exit when stdin closes", async () => {
    const create = tinyCreate("api-echo", images.node);
    expect(create.needsCli).toEqual([]);
    const container = await runContainer(client, create);
    running.push(container);
    const mcp = new Client({ name: "engine-api-test", version: "1.0.0" });
    await mcp.connect(container.transport);
    const { tools } = await mcp.listTools();
    expect(tools.map((tool) => tool.name)).toContain("echo");
    const result = await mcp.callTool({ name: "echo", arguments: { message: "über the socket" } });
    expect(result.content).toEqual([{ type: "text", text: "Echo: über the socket" }]);
    // stderr arrives demultiplexed from the same attach stream.
    await waitFor(
      () => container.transport.stderrTail().find((line) => line.startsWith("tiny-server serve")),
      "the stderr line",
    );

    const info = await inspectContainerApi(client, container.id);
    expect(info?.running).toBe(true);
    expect(info?.labels["io.mcpproxy.instance"]).toBe(instanceId("api-run"));
    expect(container.hasExited()).toBe(false);

    // Ending stdin closes the container's stdin (StdinOnce): the server exits on EOF.
    container.transport.end();
    const exit = await container.exited;
    expect(exit.exitCode).toBe(0);
    expect(container.hasExited()).toBe(true);
    expect((await inspectContainerApi(client, container.id))?.running).toBe(false);
    await removeContainer(client, container.id);
    expect(await inspectContainerApi(client, container.id)).toBeUndefined();
  });

  it("stop ends a running container with the grace, and remove is idempotent", async () => {
    const container = await runContainer(client, tinyCreate("api-stop", images.node));
    running.push(container);
    await stopContainer(client, container.id, 1);
    expect((await container.exited).exitCode).not.toBe(-1);
    await stopContainer(client, container.id, 1); // already stopped: fine
    await removeContainer(client, container.id);
    await removeContainer(client, container.id); // already gone: fine
  });

  it("a missing image is NOT_FOUND and creates nothing", async () => {
    const error = await failure(runContainer(client, tinyCreate("api-noimage", "mcpproxy-test/absent:none")));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toMatch(/no such image/i);
  });

  it("a command missing from the image fails the start, and the created container is removed", async () => {
    const create = tinyCreate("api-nocmd", images.node, "api-nocmd");
    create.body.Cmd = ["definitely-not-a-command"];
    const error = await failure(runContainer(client, create));
    expect(error.code).toBe("ENGINE_REFUSED");
    expect(error.message).toMatch(/definitely-not-a-command/);
    expect(await runContainers()).toEqual([]);
  });
});

describe("EngineClient failures", () => {
  let dir: string;
  let silent: Server;
  const hung: Socket[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-engine-api-"));
    // A socket that accepts and never answers: a hung engine.
    silent = createServer((socket) => hung.push(socket));
    await new Promise<void>((resolve) => silent.listen(path.join(dir, "hung.sock"), resolve));
  });

  afterAll(async () => {
    for (const socket of hung) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it("a hung engine fails the call with ENGINE_TIMEOUT naming the endpoint", async () => {
    const hung = new EngineClient({
      env: { DOCKER_HOST: `unix://${path.join(dir, "hung.sock")}` },
      timeoutMs: 300,
    });
    const error = await failure(inspectContainerApi(hung, "x"));
    expect(error.code).toBe("ENGINE_TIMEOUT");
    expect(error.message).toContain("hung.sock");
    const stream = await failure(hung.stream("GET", "/events", { timeoutMs: 300 }));
    expect(stream.code).toBe("ENGINE_TIMEOUT");
  });

  it("no engine at the socket is ENGINE_UNREACHABLE", async () => {
    const absent = new EngineClient({ env: { DOCKER_HOST: `unix://${path.join(dir, "absent.sock")}` } });
    const error = await failure(inspectContainerApi(absent, "x"));
    expect(error.code).toBe("ENGINE_UNREACHABLE");
    expect(error.message).toMatch(/cannot reach the Docker engine at unix:\/\/.*absent\.sock/);
  });
});
