// Endpoint resolution as the docker CLI does it: DOCKER_HOST, DOCKER_CONTEXT,
// config.json's currentContext and the contexts store, the platform defaults.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineApiError, EngineClient, resolveEngineEndpoint } from "../../src/index.ts";

let configDir: string;

async function writeContext(
  name: string,
  host: string,
  tls: "none" | "files" | "skip" = "none",
): Promise<void> {
  const digest = createHash("sha256").update(name).digest("hex");
  const meta = path.join(configDir, "contexts", "meta", digest);
  await mkdir(meta, { recursive: true });
  const endpoint = { Host: host, SkipTLSVerify: tls === "skip" };
  await writeFile(
    path.join(meta, "meta.json"),
    JSON.stringify({ Name: name, Endpoints: { docker: endpoint } }),
  );
  if (tls === "files") {
    const tlsDir = path.join(configDir, "contexts", "tls", digest, "docker");
    await mkdir(tlsDir, { recursive: true });
    for (const file of ["ca.pem", "cert.pem", "key.pem"]) await writeFile(path.join(tlsDir, file), "pem");
  }
}

beforeAll(async () => {
  configDir = await mkdtemp(path.join(tmpdir(), "mcpproxy-endpoint-"));
  await writeContext("colima", "unix:///Users/me/.colima/default/docker.sock");
  await writeContext("remote", "tcp://10.1.2.3:2376", "files");
  await writeContext("insecure", "tcp://10.1.2.4:2376", "skip");
  await writeContext("over-ssh", "ssh://me@build-box");
});

afterAll(async () => {
  await rm(configDir, { recursive: true, force: true });
});

describe("resolveEngineEndpoint", () => {
  it("uses DOCKER_HOST first, whatever the context says", () => {
    const endpoint = resolveEngineEndpoint({
      env: { DOCKER_HOST: "unix:///run/user/1000/docker.sock", DOCKER_CONTEXT: "remote" },
      configDir,
    });
    expect(endpoint).toMatchObject({
      kind: "unix",
      socketPath: "/run/user/1000/docker.sock",
      context: "default",
    });
  });

  it("reads tcp DOCKER_HOST with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH", async () => {
    const certs = path.join(configDir, "certs");
    await mkdir(certs, { recursive: true });
    await writeFile(path.join(certs, "ca.pem"), "pem");
    const endpoint = resolveEngineEndpoint({
      env: { DOCKER_HOST: "tcp://docker.example:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs },
      configDir,
    });
    expect(endpoint).toMatchObject({ kind: "tcp", hostname: "docker.example", port: 2376 });
    expect(endpoint.tls).toEqual({
      ca: path.join(certs, "ca.pem"),
      cert: undefined,
      key: undefined,
      verify: true,
    });
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: "tcp://10.0.0.1" }, configDir })).toMatchObject({
      port: 2375,
      tls: undefined,
    });
  });

  it("follows config.json's currentContext into the contexts store", async () => {
    await writeFile(path.join(configDir, "config.json"), JSON.stringify({ currentContext: "colima" }));
    expect(resolveEngineEndpoint({ env: {}, configDir })).toMatchObject({
      kind: "unix",
      context: "colima",
      socketPath: "/Users/me/.colima/default/docker.sock",
    });
  });

  it("lets DOCKER_CONTEXT override currentContext, with the context's TLS files", () => {
    const endpoint = resolveEngineEndpoint({ env: { DOCKER_CONTEXT: "remote" }, configDir });
    expect(endpoint).toMatchObject({ kind: "tcp", context: "remote", hostname: "10.1.2.3", port: 2376 });
    expect(endpoint.tls?.verify).toBe(true);
    expect(endpoint.tls?.ca).toMatch(/contexts\/tls\/[0-9a-f]{64}\/docker\/ca\.pem$/);
  });

  it("falls back to the platform default socket or pipe", () => {
    const empty = path.join(configDir, "nothing-here");
    expect(resolveEngineEndpoint({ env: {}, configDir: empty, platform: "linux" })).toMatchObject({
      host: "unix:///var/run/docker.sock",
      socketPath: "/var/run/docker.sock",
    });
    expect(resolveEngineEndpoint({ env: {}, configDir: empty, platform: "win32" })).toMatchObject({
      kind: "npipe",
      socketPath: "\\\\.\\pipe\\docker_engine",
    });
  });

  it("names a missing context and a malformed DOCKER_HOST, with the fix", () => {
    expect(() => resolveEngineEndpoint({ env: { DOCKER_CONTEXT: "gone" }, configDir })).toThrow(
      /docker context "gone" does not exist.*docker context ls/,
    );
    expect(() => resolveEngineEndpoint({ env: { DOCKER_HOST: "fd://3" }, configDir })).toThrow(
      EngineApiError,
    );
  });

  it("refuses ssh endpoints and skipped TLS verification (the CLI path handles them)", () => {
    for (const context of ["over-ssh", "insecure"]) {
      const error = (() => {
        try {
          new EngineClient({ env: { DOCKER_CONTEXT: context }, configDir });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(EngineApiError);
      expect((error as EngineApiError).code).toBe("ENDPOINT_UNSUPPORTED");
    }
  });
});
