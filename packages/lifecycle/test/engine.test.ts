// Where the engine is and whether it answers, against the real engine (and a
// dead DOCKER_HOST).
import { describe, expect, it } from "vitest";
import { getEngineInfo } from "../src/index.ts";

const deadEngine = {
  env: { DOCKER_HOST: "unix:///tmp/mcpproxy-dead-engine.sock", DOCKER_CONTEXT: undefined },
};

describe("getEngineInfo", () => {
  it("names the context and endpoint of a reachable engine", async () => {
    const info = await getEngineInfo();
    expect(info.reachable).toBe(true);
    expect(info.context).toBe("default");
    expect(info.endpoint).toMatch(/^unix:\/\//);
    expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    expect(info.error).toBeUndefined();
  });

  it("says within 2 s that the engine at a dead DOCKER_HOST is unreachable", async () => {
    const started = Date.now();
    const info = await getEngineInfo(deadEngine);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(info).toMatchObject({
      reachable: false,
      context: "default",
      endpoint: "unix:///tmp/mcpproxy-dead-engine.sock",
    });
    expect(info.error).toMatch(
      /^cannot reach the Docker engine at unix:\/\/\/tmp\/mcpproxy-dead-engine\.sock; is dockerd running\? DOCKER_HOST is set/,
    );
    expect(info.error).toMatch(/Cannot connect to the Docker daemon/);
  });

  it("says so when the CLI itself is missing", async () => {
    const info = await getEngineInfo({ command: "/nonexistent/docker" });
    expect(info.reachable).toBe(false);
    expect(info.error).toMatch(/cannot run the container engine CLI `\/nonexistent\/docker` \(ENOENT\)/);
  });
});
