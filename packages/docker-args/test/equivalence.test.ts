// The two renderings of one ContainerSpec make the same container: one created
// through the Engine API (renderCreateRequest, POST /containers/create) and one
// by `docker create` with the rendered `docker run` argv have identical
// `docker inspect` Config and HostConfig, apart from what is per-container by
// nature (hostname = id prefix). Containers are created, never started; all removed.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EffectiveIsolation, ServerConfig } from "@mcpproxy/config";
import {
  containersWithLabel,
  ensureTestImages,
  inspectContainer,
  removeContainers,
} from "@mcpproxy/test-images";
import { execa } from "execa";
import type { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MCPPROXY_LABELS } from "../src/labels.ts";
import { renderCreateRequest } from "../src/render-api.ts";
import { dockerProcessEnv, renderDockerRunArgv } from "../src/render-argv.ts";
import { buildContainerSpec } from "../src/spec.ts";
import { createContainer, engineAgent } from "./engine-api.ts";
import { server, settings } from "./fixtures.ts";

const instanceId = `equivalence-${randomBytes(4).toString("hex")}`;
let image: string;
let hostDir: string;
let agent: Agent;

beforeAll(async () => {
  image = (await ensureTestImages()).everything;
  hostDir = await mkdtemp(path.join(tmpdir(), "docker-args-equivalence-"));
  agent = engineAgent();
});

afterAll(async () => {
  await removeContainers(await containersWithLabel(MCPPROXY_LABELS.instance, instanceId));
  await agent.close();
  await rm(hostDir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

/** `[]` and `{}` mean the same as `null` to the engine (the CLI sends empty lists, the API body omits them). */
function withoutEmpty(record: Json): Json {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => {
      const empty =
        (Array.isArray(value) && value.length === 0) ||
        (value !== null &&
          typeof value === "object" &&
          !Array.isArray(value) &&
          Object.keys(value).length === 0);
      return [key, empty ? null : value];
    }),
  );
}

/** Config + HostConfig, without the fields that differ per container by nature. */
function comparable(info: Json): { Config: Json; HostConfig: Json } {
  const config = withoutEmpty(info.Config as Json);
  delete config.Hostname; // the engine sets it to the container id's prefix
  // The CLI passes env through a map: its order carries no meaning (values and names must match).
  if (Array.isArray(config.Env)) config.Env = [...(config.Env as string[])].sort();
  const host = withoutEmpty(info.HostConfig as Json);
  // The CLI sends binds in map order; the set is what counts.
  if (Array.isArray(host.Binds)) host.Binds = [...(host.Binds as string[])].sort();
  return { Config: config, HostConfig: host };
}

interface Case {
  title: string;
  server?: Partial<ServerConfig>;
  settings: (dir: string) => Partial<EffectiveIsolation>;
}

const CASES: Case[] = [
  { title: "defaults (bridge, 512m, 1 CPU)", settings: () => ({}) },
  {
    title: "limits, network none, env with a CLI-read name",
    server: { env: { API_KEY: "s3cr3t value", PATH: "/usr/bin:/bin", EMPTY: "" } },
    settings: () => ({ memory_limit: "1.5g", cpu_limit: "0.25", network_mode: "none" }),
  },
  {
    title: "host network, volumes, working dir",
    settings: (dir) => ({
      network_mode: "host",
      working_dir: "/work",
      volumes: [`${dir}:/data:ro`, `${dir}:/rw`, "/anonymous"],
    }),
  },
  {
    title: "hardening: user, caps, security options, read-only with /tmp",
    settings: () => ({
      pids_limit: 64,
      read_only: true,
      cap_drop: ["net_raw", "CAP_CHOWN", "NET_RAW"],
      no_new_privileges: true,
      user: "65534:65534",
    }),
  },
  {
    title: "extra_args mapped to the create request",
    server: { env: { FROM_SERVER: "x" } },
    settings: (dir) => ({
      network_mode: "none",
      extra_args: [
        "--cap-add=NET_BIND_SERVICE",
        "--cap-drop=ALL",
        "-e",
        "EXTRA=0",
        "--security-opt",
        "apparmor=unconfined",
        "-e",
        "EXTRA=1",
        "--env=FROM_SERVER",
        "--label=team=a",
        "--tmpfs=/run:rw,size=16m",
        `--mount=type=bind,source=${dir},target=/m,readonly`,
        "--mount=type=tmpfs,target=/scratch,tmpfs-size=8m",
        "--shm-size=32m",
        "--memory-swap=-1",
        "--memory-reservation=64m",
        "--cpu-shares=512",
        "--ulimit=nofile=1024:2048",
        "--sysctl=net.ipv4.ip_unprivileged_port_start=0",
        "--init",
        "--hostname=mcp-host",
        "--entrypoint=/bin/sh",
        "-w",
        "/srv",
        "--user=1000",
        "--oom-score-adj=100",
        "--dns=127.0.0.1",
        "--add-host=db.local:127.0.0.1",
        "--group-add=100",
        "--log-driver=none",
        "--stop-signal=SIGINT",
        "--stop-timeout=5",
        "--health-cmd=true",
        "--health-interval=30s",
        "--health-retries=2",
        "-v",
        `${dir}:/extra:ro`,
      ],
    }),
  },
  {
    title: "extra_args: bridge with published port, ipc, privileged flags",
    settings: () => ({
      extra_args: ["--publish=127.0.0.1:0:8080", "--expose=9000/udp", "--ipc=private", "--pids-limit=32"],
    }),
  },
];

describe("renderCreateRequest ≡ rendered docker run argv, against the real engine", () => {
  it.each(CASES)("$title", async (testCase) => {
    const spec = buildContainerSpec(
      server({ name: "equivalence", command: "sleep", args: ["300"], ...testCase.server }),
      settings({ image, ...testCase.settings(hostDir) }),
      { instanceId, nameSuffix: randomBytes(4).toString("hex") },
    );
    const create = renderCreateRequest(spec);
    expect(create.needsCli).toEqual([]);
    const argv = renderDockerRunArgv(spec);
    const viaCli = await execa("docker", ["create", ...argv.slice(1)], { env: dockerProcessEnv(spec) });
    const viaApi = await createContainer(agent, create, `${spec.name}-api`);
    try {
      const cli = (await inspectContainer(viaCli.stdout.trim())) as Json;
      const api = (await inspectContainer(viaApi)) as Json;
      expect(comparable(api)).toEqual(comparable(cli));
      expect((api.Config as Json).Env).toEqual(
        expect.arrayContaining(spec.env.map((e) => `${e.name}=${e.value}`)),
      );
    } finally {
      await removeContainers([viaCli.stdout.trim(), viaApi]);
    }
  });

  it("a second --network in extra_args is no override: the CLI path fails on this engine and the API path names it", async () => {
    const spec = buildContainerSpec(
      server({ name: "equivalence", command: "sleep", args: ["300"] }),
      settings({ image, network_mode: "none", extra_args: ["--network=host"] }),
      { instanceId, nameSuffix: randomBytes(4).toString("hex") },
    );
    expect(spec.warnings.map((warning) => warning.code)).toContain("NETWORK_HOST");
    expect(renderCreateRequest(spec).needsCli.map((entry) => entry.arg)).toEqual(["--network=host"]);
    const viaCli = await execa("docker", ["create", ...renderDockerRunArgv(spec).slice(1)], {
      reject: false,
    });
    if (viaCli.exitCode === 0) await removeContainers([viaCli.stdout.trim()]);
    // The engine here speaks API 1.41: it refuses two networks at create (API ≥ 1.44 would attach both).
    expect(viaCli.exitCode).not.toBe(0);
    expect(viaCli.stderr).toMatch(/cannot be connected to network endpoints/i);
  });
});
