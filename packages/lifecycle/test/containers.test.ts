// Listing, removing and sweeping the proxy's containers: a proxy killed with
// SIGKILL leaves its container, the next sweep removes it; a sweep never
// touches the containers of a live proxy.
import { once } from "node:events";
import { readdir } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { createInterface } from "node:readline";
import { MANAGED_BY_VALUE, MCPPROXY_LABELS } from "@mcpproxy/docker-args";
import { execa, type ResultPromise } from "execa";
import { waitFor } from "@mcpproxy/test-helpers";
import { afterAll, describe, expect, it } from "vitest";
import { engineSuite } from "./engine-suite.ts";
import {
  inspectContainer,
  listManagedContainers,
  OWNER_LABELS,
  removeContainers,
  startServer,
  sweepOrphans,
  type ManagedContainer,
  type ServerHandle,
  type SweepResult,
} from "../src/index.ts";
import { fixture, instanceId, isolated, serverConfig } from "./helpers.ts";

// Containers created by hand below are expected leftovers of the "kept" cases.
const suite = engineSuite<ServerHandle>({ leftoversExpected: true });
const handles = suite.running;

const children: ResultPromise[] = [];

// Runs before the suite's own afterAll (after-hooks run last-registered first): the proxies go first.
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(children.map((child) => child.catch(() => undefined)));
});

/** Starts test/fixtures/proxy-child.ts and waits for the id of the container it started. */
async function spawnProxyChild(
  id: string,
  mode: "start" | "manager",
): Promise<{ child: ResultPromise; containerId: string }> {
  const child = execa(
    process.execPath,
    ["--conditions=@mcpproxy/source", fixture("proxy-child.ts"), id, suite.images.everything, mode],
    {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "inherit",
      buffer: false,
      reject: false,
      // Not execa's 5 s SIGKILL after a SIGTERM: the graceful stop under test removes a container,
      // which takes longer on a loaded engine.
      forceKillAfterDelay: 60_000,
    },
  );
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, "line")) as [string];
  lines.close();
  const { containerId } = JSON.parse(line) as { containerId: string };
  expect(containerId).toMatch(/^[0-9a-f]{64}$/);
  return { child, containerId };
}

/** A stopped container labelled as ours, with the given extra labels (never started: no process, no network). */
async function createLabelled(id: string, labels: Record<string, string>): Promise<string> {
  const flags = Object.entries({
    [MCPPROXY_LABELS.managedBy]: MANAGED_BY_VALUE,
    [MCPPROXY_LABELS.instance]: id,
    [MCPPROXY_LABELS.server]: "hand-made",
    ...labels,
  }).map(([key, value]) => `--label=${key}=${value}`);
  const { stdout } = await execa("docker", ["create", "--network=none", ...flags, suite.images.node, "true"]);
  return stdout.trim();
}

// Through the Engine API (the default) and through the docker CLI (ssh endpoints, podman, `containerLaunch: "cli"`).
const METHODS = ["api", "cli"] as const;

describe.each(METHODS)("removeContainers (%s)", (method) => {
  it("succeeds beside concurrent removals of the same container (two proxies sweeping one orphan)", async () => {
    const { stdout } = await execa("docker", [
      "run",
      "-d",
      "--network=none",
      `--label=${MCPPROXY_LABELS.managedBy}=${MANAGED_BY_VALUE}`,
      `--label=${MCPPROXY_LABELS.instance}=${instanceId(`raced-${method}`)}`,
      suite.images.node,
      "node",
      "-e",
      "setInterval(() => {}, 1000)",
    ]);
    const id = stdout.trim();
    // The engine answers all but one of these "removal ... is already in progress".
    const removals = Array.from({ length: 4 }, () => removeContainers([id], { method }));
    expect(await Promise.allSettled(removals)).toEqual(
      Array.from({ length: 4 }, () => ({ status: "fulfilled", value: undefined })),
    );
    expect(await inspectContainer(id)).toBeUndefined();
  });
});

/**
 * The sweep is engine-wide, and every proxy another test file starts meanwhile sweeps too (what a
 * real start does): it may remove this file's orphans first. An orphan counts as swept when this
 * sweep removed it or it is gone all the same; one still there fails. Returns this sweep's entry.
 */
async function expectSwept(result: SweepResult, id: string): Promise<ManagedContainer | undefined> {
  const entry = result.removed.find((container) => container.id === id);
  if (entry === undefined)
    expect(await inspectContainer(id), `orphan ${id} survived the sweep`).toBeUndefined();
  return entry;
}

describe("sweepOrphans", () => {
  it("removes the container of a proxy killed with SIGKILL", async () => {
    const { child, containerId } = await spawnProxyChild(instanceId("killed"), "start");
    const cidDirs = async (): Promise<string[]> =>
      (await readdir(tmpdir())).filter((name) => name.startsWith(`mcpproxy-cid-${child.pid}-`));
    child.kill("SIGKILL");
    await child;
    // Nothing is cleaned up after a kill -9 (the container and the cidfile its id was read from stay);
    // not asserted here: a parallel proxy's engine-wide sweep may remove both at any moment.

    const result = await sweepOrphans({ instanceId: instanceId("next-start") });
    const swept = await expectSwept(result, containerId);
    if (swept !== undefined) {
      expect(swept.instanceId).toBe(instanceId("killed"));
      expect(swept.serverName).toBe("child-everything");
    }
    expect(await inspectContainer(containerId)).toBeUndefined();
    expect(await cidDirs()).toEqual([]);
  });

  it("never removes the container of a live proxy with another instance id", async () => {
    const { containerId: childContainer } = await spawnProxyChild(instanceId("live-child"), "start");
    const handle = await startServer(
      serverConfig("live", "mcp-server-everything", ["stdio"]),
      isolated(suite.images.everything),
      { instanceId: instanceId("live-self") },
    );
    handles.push(handle);
    const ownContainer = handle.container?.id ?? "";

    const result = await sweepOrphans({ instanceId: instanceId("another") });
    const removedIds = result.removed.map((container) => container.id);
    expect(removedIds).not.toContain(childContainer);
    expect(removedIds).not.toContain(ownContainer);
    const keptReason = new Map(result.kept.map((entry) => [entry.container.id, entry.reason]));
    expect(keptReason.get(childContainer)).toMatch(/is running/);
    expect(keptReason.get(ownContainer)).toBe(`its owner (pid ${process.pid}) is running`);
    expect((await inspectContainer(childContainer))?.running).toBe(true);
    expect((await inspectContainer(ownContainer))?.running).toBe(true);

    // The sweeping instance's own containers are skipped outright.
    const own = await sweepOrphans({ instanceId: instanceId("live-self") });
    expect(own.kept.map((entry) => entry.container.id)).not.toContain(ownContainer);
    await handle.stop();
  });

  it.each(METHODS)(
    "decides liveness from the owner labels: dead pid and reused pid are removed, unknown owners kept (%s)",
    async (method) => {
      const gone = await execa(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
      // Same instance id as the sweeper: an id reused after a crash does not protect the orphan.
      const deadPid = await createLabelled(instanceId(`judge-${method}`), {
        [OWNER_LABELS.pid]: gone.stdout,
        [OWNER_LABELS.host]: hostname(),
      });
      const reusedPid = await createLabelled(instanceId(`reused-pid-${method}`), {
        [OWNER_LABELS.pid]: String(process.pid),
        [OWNER_LABELS.started]: "proc:1",
        [OWNER_LABELS.host]: hostname(),
      });
      const noOwner = await createLabelled(instanceId(`no-owner-${method}`), {});
      const otherHost = await createLabelled(instanceId(`other-host-${method}`), {
        [OWNER_LABELS.pid]: "1",
        [OWNER_LABELS.host]: "some-other-machine",
      });

      const result = await sweepOrphans({ instanceId: instanceId(`judge-${method}`), method });
      await expectSwept(result, deadPid);
      await expectSwept(result, reusedPid);
      const keptReason = new Map(result.kept.map((entry) => [entry.container.id, entry.reason]));
      expect(keptReason.get(noOwner)).toBe("no owner labels");
      expect(keptReason.get(otherHost)).toBe("owned by a proxy on host some-other-machine");
      expect(await inspectContainer(deadPid)).toBeUndefined();
      expect(await inspectContainer(reusedPid)).toBeUndefined();
      await removeContainers([noOwner, otherHost], { method });
      expect(await inspectContainer(noOwner)).toBeUndefined();
    },
  );
});

describe.each(METHODS)("listManagedContainers / removeContainers (%s)", (method) => {
  it("lists our containers with their labels, filtered by instance, and removes them", async () => {
    const id = instanceId(`listed-${method}`);
    const created = await createLabelled(id, { "com.example.note": "a,b=c" });
    const listed = await listManagedContainers({ instanceId: id, method });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: created,
      instanceId: id,
      serverName: "hand-made",
      name: expect.stringMatching(/^[a-z]+_[a-z]+$/) as unknown,
      image: suite.images.node,
      state: "created",
      status: "Created",
      labels: expect.objectContaining({ "com.example.note": "a,b=c" }) as unknown,
    });
    await removeContainers([created, "0000000000000000000000000000000000000000000000000000000000000000"], {
      method,
    });
    expect(await listManagedContainers({ instanceId: id, method })).toEqual([]);
  });
});

describe("installSignalHandlers", () => {
  it("stops every server on SIGTERM, then exits with 143", async () => {
    const { child, containerId } = await spawnProxyChild(instanceId("signalled"), "manager");
    child.kill("SIGTERM");
    const { exitCode, signal } = await child;
    expect({ exitCode, signal }).toEqual({ exitCode: 143, signal: undefined });
    await waitFor(async () => (await inspectContainer(containerId)) === undefined || undefined, "removal");
  });
});
