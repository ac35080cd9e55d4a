// Where the engine is and whether it answers, against the real engine: through the
// Engine API (the endpoint from DOCKER_HOST or the context files, `GET /version`)
// and through the docker CLI; the endpoint one run pins.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEngineInfo, pinDockerEndpoint } from "../src/index.ts";

const deadEngine = {
  env: { DOCKER_HOST: "unix:///tmp/mcpproxy-dead-engine.sock", DOCKER_CONTEXT: undefined },
};
let scratch: string;
/** A docker config dir (DOCKER_CONFIG) whose current context is "live-ctx", the shared engine's socket. */
let contextConfig: string;
/** A socket that accepts connections and never answers: a hung engine. */
let silent: Server;
let silentSocket: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "mcpproxy-engine-info-"));
  contextConfig = path.join(scratch, "docker-config");
  const env = { DOCKER_CONFIG: contextConfig, DOCKER_HOST: "", DOCKER_CONTEXT: "" };
  await execa("docker", ["context", "create", "live-ctx", "--docker", "host=unix:///var/run/docker.sock"], {
    env,
  });
  await execa("docker", ["context", "create", "remote-ctx", "--docker", "host=tcp://10.9.8.7:2376"], { env });
  await execa("docker", ["context", "use", "live-ctx"], { env });
  silentSocket = path.join(scratch, "silent.sock");
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(silentSocket, resolve));
});

afterAll(async () => {
  silent.close();
  await rm(scratch, { recursive: true, force: true });
});

describe("getEngineInfo through the Engine API (the default)", () => {
  it("names the context and endpoint of a reachable engine and its version", async () => {
    const info = await getEngineInfo();
    expect(info).toMatchObject({ reachable: true, context: "default" });
    expect(info.endpoint).toMatch(/^unix:\/\//);
    expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    expect(info.error).toBeUndefined();
  });

  it("agrees with the docker CLI on context, endpoint and version", async () => {
    const [api, cli] = await Promise.all([getEngineInfo(), getEngineInfo(undefined, { via: "cli" })]);
    expect(api).toEqual(cli);
  });

  it("follows the current context of the docker config files, without a docker binary", async () => {
    const info = await getEngineInfo({
      command: "docker",
      env: {
        DOCKER_CONFIG: contextConfig,
        DOCKER_HOST: undefined,
        DOCKER_CONTEXT: undefined,
        PATH: "/nonexistent",
      },
    });
    expect(info).toMatchObject({
      reachable: true,
      context: "live-ctx",
      endpoint: "unix:///var/run/docker.sock",
    });
  });

  it("says within 2 s that the engine at a dead DOCKER_HOST is unreachable, and what to check", async () => {
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
    expect(info.error).toMatch(/ENOENT/);
  });

  it("calls an engine that accepts but never answers hung, after the probe's 2 s", async () => {
    const info = await getEngineInfo({ env: { DOCKER_HOST: `unix://${silentSocket}` } });
    expect(info.reachable).toBe(false);
    expect(info.error).toMatch(/does not answer \(no reply within 2 s: it may be hung or overloaded\)/);
  });

  it("names a context that does not exist and the fix", async () => {
    const info = await getEngineInfo({
      env: { DOCKER_CONFIG: contextConfig, DOCKER_HOST: undefined, DOCKER_CONTEXT: "no-such-ctx" },
    });
    expect(info.reachable).toBe(false);
    expect(info.error).toMatch(/the docker context "no-such-ctx" does not exist .*docker context ls/);
  });
});

describe("getEngineInfo through the docker CLI", () => {
  it("reports the CLI's own words for a dead DOCKER_HOST", async () => {
    const info = await getEngineInfo(deadEngine, { via: "cli" });
    expect(info).toMatchObject({ reachable: false, endpoint: "unix:///tmp/mcpproxy-dead-engine.sock" });
    expect(info.error).toMatch(
      /^cannot reach the Docker engine at unix:\/\/\/tmp\/mcpproxy-dead-engine\.sock/,
    );
    expect(info.error).toMatch(/Cannot connect to the Docker daemon/);
  });

  it("says so when the CLI itself is missing (another CLI is always asked through itself)", async () => {
    const info = await getEngineInfo({ command: "/nonexistent/docker" });
    expect(info.reachable).toBe(false);
    expect(info.error).toMatch(/cannot run the container engine CLI `\/nonexistent\/docker` \(ENOENT\)/);
  });
});

describe("pinDockerEndpoint", () => {
  it("pins the default context's unix socket as DOCKER_HOST", async () => {
    const pinned = await pinDockerEndpoint({ env: { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined } });
    expect(pinned.context).toBe("default");
    expect(pinned.endpoint).toMatch(/^unix:\/\//);
    expect(pinned.docker.env).toMatchObject({ DOCKER_HOST: pinned.endpoint, DOCKER_CONTEXT: undefined });
  });

  it("pins a context with a tcp endpoint by its name, so the CLI keeps its TLS settings", async () => {
    const env = { DOCKER_CONFIG: contextConfig, DOCKER_HOST: undefined, DOCKER_CONTEXT: "remote-ctx" };
    const pinned = await pinDockerEndpoint({ env });
    expect(pinned).toMatchObject({ context: "remote-ctx", endpoint: "tcp://10.9.8.7:2376" });
    expect(pinned.docker.env?.["DOCKER_CONTEXT"]).toBe("remote-ctx");
    expect(pinned.docker.env?.["DOCKER_HOST"]).toBeUndefined();
  });

  it("keeps an explicit DOCKER_HOST as the pin", async () => {
    const pinned = await pinDockerEndpoint(deadEngine);
    expect(pinned).toMatchObject({ context: undefined, endpoint: "unix:///tmp/mcpproxy-dead-engine.sock" });
  });

  it("pins what the CLI resolves when the context files do not resolve it", async () => {
    const env = { DOCKER_CONFIG: contextConfig, DOCKER_HOST: undefined, DOCKER_CONTEXT: "no-such-ctx" };
    const pinned = await pinDockerEndpoint({ env });
    // The CLI cannot resolve it either: nothing is pinned, and the first docker call says why.
    expect(pinned.endpoint).toBeUndefined();
  });
});
