import { describe, expect, it } from "vitest";
import { engineSandboxPerTest } from "../engine-sandbox.ts";
import { PullTally } from "../../src/commands/images.ts";
import { parseJson, runCli, runCliInTty } from "../run-cli.ts";

interface PullJson {
  images: { image: string; servers: string[]; status: string; error?: string }[];
  skipped: { server: string; reason: string }[];
}

/** Not local, and its registry (localhost:1) refuses connections: the pull fails at once, offline. */
const MISSING_IMAGE = "localhost:1/mcpproxy-test/missing:1";

const engine = engineSandboxPerTest();

describe("mcpproxy images pull", () => {
  it("is a no-op success when every needed image is local; servers on the host need none", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [
        { name: "a", command: "node", isolation: { image: engine.images.node } },
        { name: "b", command: "node", args: ["b.js"], isolation: { image: engine.images.node } },
        { name: "host", command: "node", isolation: { enabled: false } },
        { name: "off", command: "node", enabled: false, isolation: { image: MISSING_IMAGE } },
      ],
    });
    const json = await runCli(engine.sandbox, ["images", "pull", "--json"]);
    expect(json.exitCode).toBe(0);
    const result = parseJson<PullJson>(json);
    expect(result.images).toEqual([{ image: engine.images.node, servers: ["a", "b"], status: "present" }]);
    expect(result.skipped.map((skip) => skip.server)).toEqual(["host"]);

    const human = await runCli(engine.sandbox, ["images", "pull"]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain(`✓ ${engine.images.node} already present (a, b)`);
    expect(human.stdout).toMatch(/^- host: no image needed \(.+\)$/m);
  });

  it("fails with exit 1 naming the image that could not be pulled, and the fix", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [
        { name: "ok", command: "node", isolation: { image: engine.images.node } },
        { name: "missing", command: "node", isolation: { image: MISSING_IMAGE } },
      ],
    });
    const json = await runCli(engine.sandbox, ["images", "pull", "--json"]);
    expect(json.exitCode).toBe(1);
    const result = parseJson<PullJson>(json);
    expect(result.images.find((image) => image.image === engine.images.node)?.status).toBe("present");
    const failed = result.images.find((image) => image.image === MISSING_IMAGE);
    expect(failed).toMatchObject({ servers: ["missing"], status: "failed" });
    expect(failed?.error).toMatch(/cannot pull image localhost:1\/mcpproxy-test\/missing:1/);

    const human = await runCli(engine.sandbox, ["images", "pull", "missing"]);
    expect(human.exitCode).toBe(1);
    expect(human.stderr).toContain(`Pulling ${MISSING_IMAGE} …`);
    expect(human.stdout).toMatch(/^✗ localhost:1\/mcpproxy-test\/missing:1 \(missing\): cannot pull image/m);
    expect(human.stderr).toContain(`error: 1 of 1 image could not be pulled: ${MISSING_IMAGE}.`);
    expect(human.stderr).toMatch(/^fix: Check the image names/m);
  });

  it("draws a progress bar per image on a terminal", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [{ name: "missing", command: "node", isolation: { image: MISSING_IMAGE } }],
    });
    const result = await runCliInTty(engine.sandbox, ["images", "pull"], { env: { NO_COLOR: undefined } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/localhost:1\/mcpproxy-test\/missing:1 \|[░█]+\| 0% +Failed/);
    expect(result.stdout).toContain("could not be pulled");
  });

  it("pulls only the named servers' images; an unknown name is a usage error", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [
        { name: "ok", command: "node", isolation: { image: engine.images.node } },
        { name: "missing", command: "node", isolation: { image: MISSING_IMAGE } },
      ],
    });
    const named = await runCli(engine.sandbox, ["images", "pull", "ok", "--json"]);
    expect(named.exitCode).toBe(0);
    expect(parseJson<PullJson>(named).images.map((image) => image.image)).toEqual([engine.images.node]);

    const unknown = await runCli(engine.sandbox, ["images", "pull", "ok", "nope"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('error: No server named "nope"');
  });

  it("says there is nothing to pull when no server is isolated", async () => {
    await engine.sandbox.writeConfig({ mcpServers: [{ name: "a", command: "node" }] });
    const result = await runCli(engine.sandbox, ["images", "pull"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("No server in the config runs in Docker: nothing to pull.");
  });

  it("exits 1 when the engine is not reachable", async () => {
    await engine.sandbox.writeConfig({
      docker_isolation: { enabled: true },
      mcpServers: [{ name: "a", command: "node", isolation: { image: engine.images.node } }],
    });
    const result = await runCli(engine.sandbox, ["images", "pull"], {
      env: { DOCKER_HOST: `unix://${engine.sandbox.dir}/no-docker.sock` },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: Cannot reach the Docker engine/);
  });
});

describe("PullTally", () => {
  it("sums per-layer bytes of the engine's pull events, a finished layer counting in full", () => {
    const tally = new PullTally();
    const image = "python:3.11";
    tally.update({ image, status: "Pulling from library/python" });
    tally.update({ image, layer: "aaaaaaaaaaaa", status: "Downloading", current: 10, total: 100 });
    tally.update({ image, layer: "bbbbbbbbbbbb", status: "Downloading", current: 5, total: 50 });
    expect([tally.current, tally.total]).toEqual([15, 150]);
    tally.update({ image, layer: "aaaaaaaaaaaa", status: "Download complete" });
    expect([tally.current, tally.total]).toEqual([105, 150]);
    expect(tally.status).toBe("Download complete");
  });
});
