// Runs argv built by buildDockerRunArgs against the local test images and checks
// with `docker inspect` that the container got exactly what the settings said.
// Containers run with no network, or with the host network and a command that
// opens no connection (`sleep`); every one is removed.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  containersWithLabel,
  ensureTestImages,
  inspectContainer,
  removeContainers,
} from "@mcpproxy/test-images";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDockerRunArgs } from "../src/build.ts";
import { labelFilterArgs, MCPPROXY_LABELS } from "../src/labels.ts";
import { server, settings } from "./fixtures.ts";

const instanceId = `docker-args-test-${randomBytes(4).toString("hex")}`;
let images: { node: string; everything: string };
let hostDir: string;

beforeAll(async () => {
  images = await ensureTestImages();
  hostDir = await mkdtemp(path.join(tmpdir(), "docker-args-test-"));
});

afterAll(async () => {
  await removeContainers(await containersWithLabel(MCPPROXY_LABELS.instance, instanceId));
  await rm(hostDir, { recursive: true, force: true });
});

type Inspect = Record<string, Record<string, unknown>>;

async function waitRunning(name: string, child: ResultPromise): Promise<Inspect> {
  let exited = false;
  void child.finally(() => {
    exited = true;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const info = (await inspectContainer(name)) as Inspect | undefined;
    if (info?.State?.Running === true) return info;
    if (exited) {
      throw new Error(`docker run exited early: ${String((await child).stderr)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`container ${name} did not start`);
}

describe("buildDockerRunArgs against a real Docker engine", () => {
  it("docker inspect shows the memory, CPUs, network, env, workdir, mounts, labels and hardening asked for", async () => {
    const cidFile = path.join(hostDir, "container.cid");
    const result = buildDockerRunArgs(
      server({
        name: "inspect me",
        command: "sleep",
        args: ["300"],
        env: { API_KEY: "s3cr3t value", DEBUG: "true" },
      }),
      // `host` rather than the default `bridge`: a mode other than the default proves the flag
      // reaches Docker, and needs no docker0 bridge; `sleep` opens no connection.
      settings({
        image: images.node,
        network_mode: "host",
        working_dir: "/app",
        volumes: [`${hostDir}:/data:ro`],
        pids_limit: 64,
        read_only: true,
        cap_drop: ["ALL"],
        no_new_privileges: true,
        user: "65534:65534",
      }),
      { instanceId, configHash: "hash-1", cidFile },
    );
    expect(result.argv.join(" ")).not.toContain("s3cr3t");

    const child = execa("docker", result.argv, { env: result.env, reject: false, stdin: "pipe" });
    try {
      const info = await waitRunning(result.containerName, child);
      const host = info.HostConfig ?? {};
      const config = info.Config ?? {};
      expect(info.Name).toBe(`/${result.containerName}`);
      expect(host.Memory).toBe(536870912);
      expect(host.NanoCpus).toBe(1_000_000_000);
      expect(host.NetworkMode).toBe("host");
      expect(host.AutoRemove).toBe(true);
      expect(config.OpenStdin).toBe(true);
      expect(config.Env).toEqual(expect.arrayContaining(["API_KEY=s3cr3t value", "DEBUG=true"]));
      expect(config.WorkingDir).toBe("/app");
      expect(config.Image).toBe(images.node);
      expect(config.Cmd).toEqual(["sleep", "300"]);
      expect(info.Mounts).toEqual([
        expect.objectContaining({ Type: "bind", Source: hostDir, Destination: "/data", RW: false }),
      ]);
      expect(config.Labels).toEqual(
        expect.objectContaining({
          "io.mcpproxy.managed-by": "mcpproxy",
          "io.mcpproxy.server": "inspect me",
          "io.mcpproxy.instance": instanceId,
          "io.mcpproxy.config-hash": "hash-1",
        }),
      );
      expect(host.PidsLimit).toBe(64);
      expect(host.ReadonlyRootfs).toBe(true);
      expect(host.Tmpfs).toEqual({ "/tmp": "" });
      expect(host.CapDrop).toEqual(["ALL"]);
      expect(host.SecurityOpt).toEqual(["no-new-privileges"]);
      expect(config.User).toBe("65534:65534");
      expect((await readFile(cidFile, "utf8")).trim()).toBe(info.Id);

      // The spec's `docker ps | grep mcpproxy-SERVER_NAME`, and lifecycle's label filter.
      const names = await execa("docker", ["ps", "--format", "{{.Names}}"]);
      expect(names.stdout.split("\n").filter((line) => line.includes("mcpproxy-inspect-me"))).toEqual([
        result.containerName,
      ]);
      const filtered = await execa("docker", [
        "ps",
        "-aq",
        "--no-trunc",
        ...labelFilterArgs({ instanceId, server: "inspect me" }),
      ]);
      expect(filtered.stdout.trim()).toBe(info.Id);
    } finally {
      await removeContainers([result.containerName]);
      await child;
    }
  });

  it("args with spaces, quotes, $, newlines and leading '-' reach the server unchanged; env values arrive", async () => {
    const hostile = [
      "--privileged",
      "-v",
      "/:/host",
      "it's",
      '"dq"',
      "$(id)",
      "a\nb",
      "",
      "-",
      "--network=host",
    ];
    const script = [
      "process.stdout.write(JSON.stringify({",
      "argv: process.argv.slice(1), a: process.env.A, b: process.env.B, cwd: process.cwd() }))",
    ].join("");
    const result = buildDockerRunArgs(
      server({
        name: "argv echo",
        command: "node",
        args: ["-e", script, "--", ...hostile],
        env: { A: "x\ny 'z' $HOME", B: "" },
      }),
      settings({ image: images.node, network_mode: "none", working_dir: "/tmp" }),
      { instanceId },
    );
    const { stdout, exitCode, stderr } = await execa("docker", result.argv, {
      env: result.env,
      input: "",
      reject: false,
    });
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ argv: hostile, a: "x\ny 'z' $HOME", b: "", cwd: "/tmp" });
    expect(await inspectContainer(result.containerName)).toBeUndefined(); // --rm removed it
  });

  it("the spec's npx server speaks MCP over the container's stdio", async () => {
    const result = buildDockerRunArgs(
      server({
        name: "everything",
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-everything", "stdio"],
      }),
      settings({ image: images.everything, network_mode: "none" }),
      { instanceId },
    );
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "docker-args-test", version: "0" },
      },
    };
    const child = execa("docker", result.argv, { env: result.env, reject: false, stdin: "pipe" });
    try {
      child.stdin.write(`${JSON.stringify(initialize)}\n`);
      let buffered = "";
      const firstLine = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          buffered += chunk.toString();
          const newline = buffered.indexOf("\n");
          if (newline >= 0) resolve(buffered.slice(0, newline));
        });
        void child.then((ended) => reject(new Error(`server exited before answering: ${ended.stderr}`)));
      });
      const response = JSON.parse(firstLine) as { id: number; result?: { serverInfo?: { name?: string } } };
      expect(response.id).toBe(1);
      expect(response.result?.serverInfo?.name).toBeTypeOf("string");
    } finally {
      child.stdin.end();
      await removeContainers([result.containerName]);
      await child;
    }
  });
});
