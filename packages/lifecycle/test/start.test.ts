// startServer() against the real engine: MCP round trips (isolated and not),
// and every way a first start fails, each leaving no container behind.
import { inspectContainer as rawInspect } from "@mcpproxy/test-images";
import { waitFor } from "@mcpproxy/test-helpers";
import { describe, expect, it } from "vitest";
import { engineSuite } from "./engine-suite.ts";
import { inspectContainer, LifecycleError, startServer, type ServerHandle } from "../src/index.ts";
import {
  EVERYTHING_ENTRY,
  instanceContainers,
  instanceId,
  isolated,
  notIsolated,
  serverConfig,
} from "./helpers.ts";

const suite = engineSuite<ServerHandle>();
const handles = suite.running;

async function startFailure(promise: Promise<unknown>): Promise<LifecycleError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LifecycleError);
  return error as LifecycleError;
}

describe("startServer", () => {
  it("runs an isolated server: listTools and echo through the container, then stop removes it", async () => {
    const handle = await startServer(
      serverConfig("everything", "mcp-server-everything", ["stdio"]),
      isolated(suite.images.everything),
      { instanceId: instanceId("iso"), stopGraceMs: 500 },
    );
    handles.push(handle);
    expect(handle.state).toBe("ready");
    expect(handle.isolated).toBe(true);
    const container = handle.container;
    expect(container?.id).toMatch(/^[0-9a-f]{64}$/);
    expect(container?.name).toMatch(/^mcpproxy-everything-/);
    expect(handle.dockerArgv?.[0]).toBe("run");
    expect(handle.dockerArgv).not.toContain("--rm");

    const inspected = await inspectContainer(container?.id ?? "");
    expect(inspected?.running).toBe(true);
    expect(inspected?.labels["io.mcpproxy.instance"]).toBe(instanceId("iso"));
    expect(inspected?.labels["io.mcpproxy-lifecycle.owner-pid"]).toBe(String(process.pid));
    const hostConfig = (await rawInspect(container?.id ?? ""))?.["HostConfig"] as Record<string, unknown>;
    expect(hostConfig).toMatchObject({ NetworkMode: "none", Memory: 256 * 1024 * 1024, AutoRemove: false });

    const { tools } = (await handle.client?.listTools()) ?? { tools: [] };
    expect(tools.map((tool) => tool.name)).toContain("echo");
    const result = await handle.client?.callTool({ name: "echo", arguments: { message: "through docker" } });
    expect(result?.content).toEqual([{ type: "text", text: "Echo: through docker" }]);

    await handle.stop();
    expect(handle.state).toBe("stopped");
    expect(handle.client).toBeUndefined();
    expect(await inspectContainer(container?.id ?? "")).toBeUndefined();
    await handle.stop(); // idempotent
  });

  it("runs a non-isolated server as a child process with the same handle", async () => {
    const stderr: string[] = [];
    const handle = await startServer(
      serverConfig("host-everything", process.execPath, [EVERYTHING_ENTRY, "stdio"]),
      notIsolated(),
      { instanceId: instanceId("host") },
    );
    handles.push(handle);
    handle.on("stderr", (line) => stderr.push(line));
    expect(handle.isolated).toBe(false);
    expect(handle.container).toBeUndefined();
    expect(handle.dockerArgv).toBeUndefined();
    const result = await handle.client?.callTool({ name: "echo", arguments: { message: "on the host" } });
    expect(result?.content).toEqual([{ type: "text", text: "Echo: on the host" }]);
    // The server logs its banner on stderr: kept apart from the JSON-RPC stream.
    expect(handle.recentStderr().join("\n")).toMatch(/Starting default \(STDIO\) server/);
    await handle.stop();
    expect(handle.state).toBe("stopped");
  });

  it("passes env values to the container through docker's environment, not its argv", async () => {
    const script = 'echo "token=$API_TOKEN" >&2; exec mcp-server-everything stdio';
    const handle = await startServer(
      serverConfig("with-env", "sh", ["-c", script], { API_TOKEN: "s3cret-value" }),
      isolated(suite.images.everything),
      { instanceId: instanceId("env") },
    );
    handles.push(handle);
    await waitFor(() => handle.recentStderr().includes("token=s3cret-value") || undefined, "the env echo");
    expect(handle.dockerArgv).toContain("API_TOKEN");
    expect(handle.dockerArgv?.join(" ")).not.toContain("s3cret-value");
    await handle.stop();
  });

  it("runs a host server with its env over process.env and in its working_dir", async () => {
    const script = `echo "$GREETING from $(pwd) with PATH set: \${PATH:+yes}" >&2; exec "${process.execPath}" "${EVERYTHING_ENTRY}" stdio`;
    const handle = await startServer(
      { ...serverConfig("host-env", "sh", ["-c", script], { GREETING: "hello" }), working_dir: "/tmp" },
      notIsolated(),
      { instanceId: instanceId("host-env") },
    );
    handles.push(handle);
    await waitFor(
      () => handle.recentStderr().includes("hello from /tmp with PATH set: yes") || undefined,
      "the echo",
    );
    await handle.stop();
  });

  it("fails with STARTUP_TIMEOUT in the initialize phase when the server never answers, and removes the container", async () => {
    const started = Date.now();
    const error = await startFailure(
      startServer(
        serverConfig("silent", "sleep", ["1000"]),
        isolated(suite.images.node, { timeout_ms: 2_000 }),
        {
          instanceId: instanceId("timeout"),
        },
      ),
    );
    const elapsed = Date.now() - started;
    expect(error.code).toBe("STARTUP_TIMEOUT");
    expect(error.phase).toBe("initialize");
    expect(error.serverName).toBe("silent");
    expect(error.message).toMatch(/did not start within 2000 ms: stalled in the initialize phase/);
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(6_000);
    expect(await instanceContainers("timeout")).toEqual([]);
  });

  it("fails with STARTUP_TIMEOUT for a host process that never answers, and kills it", async () => {
    const error = await startFailure(
      startServer(
        serverConfig("silent-host", process.execPath, ["-e", "setInterval(() => {}, 1000)"]),
        notIsolated(1_000),
        {
          instanceId: instanceId("timeout-host"),
        },
      ),
    );
    expect(error.code).toBe("STARTUP_TIMEOUT");
    expect(error.phase).toBe("initialize");
  });

  it("reports a missing image quickly with the pull error and the engine's words (no registry reachable)", async () => {
    const image = "127.0.0.1:1/mcpproxy-missing/image:1";
    const started = Date.now();
    const error = await startFailure(
      startServer(serverConfig("missing", "node", ["server.js"]), isolated(image), {
        instanceId: instanceId("missing"),
      }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe("IMAGE_PULL_FAILED");
    expect(error.phase).toBe("image");
    expect(error.image).toBe(image);
    expect(error.message).toContain(`cannot pull image ${image}`);
    expect(error.message).toMatch(/connection refused/);
  });

  it("does not pull when pullMissingImage is false: IMAGE_NOT_FOUND", async () => {
    const image = "127.0.0.1:1/mcpproxy-missing/image:2";
    const error = await startFailure(
      startServer(serverConfig("no-pull", "node", []), isolated(image), {
        instanceId: instanceId("no-pull"),
        pullMissingImage: false,
      }),
    );
    expect(error.code).toBe("IMAGE_NOT_FOUND");
    expect(error.phase).toBe("image");
    expect(error.message).toContain(image);
  });

  it("fails with ENGINE_UNREACHABLE within 2 s when DOCKER_HOST points at a dead socket", async () => {
    const started = Date.now();
    const error = await startFailure(
      startServer(
        serverConfig("no-engine", "mcp-server-everything", ["stdio"]),
        isolated(suite.images.everything),
        {
          instanceId: instanceId("no-engine"),
          docker: {
            env: { DOCKER_HOST: "unix:///tmp/mcpproxy-no-such-engine.sock", DOCKER_CONTEXT: undefined },
          },
        },
      ),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe("ENGINE_UNREACHABLE");
    expect(error.phase).toBe("engine");
    expect(error.message).toMatch(
      /^cannot reach the Docker engine at unix:\/\/\/tmp\/mcpproxy-no-such-engine\.sock; is dockerd running\?/,
    );
  });

  it("names the process phase when the command does not exist in the image", async () => {
    const error = await startFailure(
      startServer(serverConfig("no-command", "no-such-command", []), isolated(suite.images.node), {
        instanceId: instanceId("no-command"),
      }),
    );
    expect(error.code).toBe("PROCESS_START_FAILED");
    expect(error.phase).toBe("process");
    expect(error.message).toMatch(/no-such-command/);
    expect(await instanceContainers("no-command")).toEqual([]);
  });

  it("names the process phase when a host command does not exist", async () => {
    const error = await startFailure(
      startServer(serverConfig("no-host-command", "/nonexistent/mcp-server", []), notIsolated(), {
        instanceId: instanceId("no-host-command"),
      }),
    );
    expect(error.code).toBe("PROCESS_START_FAILED");
    expect(error.phase).toBe("process");
    expect(error.message).toMatch(/ENOENT/);
  });

  it("reports PROCESS_EXITED with the exit code and stderr when the server dies during initialize", async () => {
    const error = await startFailure(
      startServer(
        serverConfig("dies", "sh", ["-c", "echo 'fatal: missing API_KEY' >&2; exit 3"]),
        isolated(suite.images.node),
        { instanceId: instanceId("dies") },
      ),
    );
    expect(error.code).toBe("PROCESS_EXITED");
    expect(error.exit?.exitCode).toBe(3);
    expect(error.exit?.reason).toBe("exited with code 3");
    expect(error.stderrTail).toContain("fatal: missing API_KEY");
    expect(error.message).toContain("fatal: missing API_KEY");
    expect(await instanceContainers("dies")).toEqual([]);
  });

  it("rejects a config docker-args refuses with INVALID_SERVER_CONFIG", async () => {
    const error = await startFailure(
      startServer(
        serverConfig("bad-memory", "node", []),
        isolated(suite.images.node, { memory_limit: "lots" }),
        {
          instanceId: instanceId("bad-config"),
        },
      ),
    );
    expect(error.code).toBe("INVALID_SERVER_CONFIG");
    expect(error.message).toMatch(/memory/);
  });
});
