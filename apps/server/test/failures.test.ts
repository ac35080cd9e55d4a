// A dead upstream never blocks the others, and its MCP error names the server,
// its state with the reason (OOMKilled) and the diagnosis with the fix.
import { ensureTestImages, inspectContainer } from "@mcpproxy/test-images";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import {
  callTool,
  connectClient,
  containersOfInstance,
  plainEverything,
  rest,
  startTestProxy,
  tempDir,
  textOf,
  uniqueName,
  waitFor,
  waitReady,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";

const KEY = "failures-key";
const HOG = "const keep = []; for (;;) keep.push(Buffer.alloc(1e6, 1));";

describe("a failed isolated upstream", () => {
  const hog = uniqueName("hog");
  const healthy = uniqueName("healthy");
  let tmp: TempDir;
  let proxy: RunningProxy;
  let client: Client;

  beforeAll(async () => {
    const images = await ensureTestImages();
    tmp = await tempDir();
    proxy = await startTestProxy(
      tmp,
      {
        api_key: KEY,
        docker_isolation: { enabled: true, default_images: { node: images.node } },
        mcpServers: [
          {
            name: hog,
            command: "node",
            args: ["-e", HOG],
            isolation: {
              enabled: true,
              memory_limit: "32m",
              network_mode: "none",
              extra_args: ["--memory-swap=32m"],
            },
          },
          plainEverything(healthy),
        ],
      },
      { restart: { maxRestarts: 0 } },
    );
    await waitReady(proxy.url, KEY, [healthy]);
    client = await connectClient(proxy.mcpUrl, proxy.apiKey);
  });

  afterAll(async () => {
    await client?.close();
    await proxy?.stop();
    await tmp?.remove();
  });

  it("reports failed: OOMKilled with the diagnosis, and the healthy server keeps answering", async () => {
    const view = await waitFor(async () => {
      const { body } = await rest<ServerJson>(proxy.url, `/servers/${hog}`, { apiKey: KEY });
      return body.state === "failed" ? body : undefined;
    }, "the memory hog to fail");
    expect(view.state_detail).toMatch(/^failed: .*OOMKilled/);
    expect(view.findings.map((f) => f.code)).toContain("oom-killed");
    expect(view.isolation).toMatchObject({ enabled: true, memory_limit: "32m", container_id: null });

    const result = await callTool(client, "call_tool", { name: `${hog}:anything`, args: {} });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(
      new RegExp(`^UPSTREAM_UNAVAILABLE: upstream server "${hog}" is failed: .*OOMKilled`),
    );
    expect(text).toMatch(/Diagnosis: .+ Fix: .*memory_limit/);

    const echo = await callTool(client, "call_tool", {
      name: `${healthy}:echo`,
      args: { message: "still here" },
    });
    expect(textOf(echo)).toBe("Echo: still here");
  });

  it("lists the finding in the doctor report and keeps only the failed server's exited container", async () => {
    const report = await rest<{ servers: { name: string; findings: { code: string }[] }[] }>(
      proxy.url,
      "/diagnostics",
      { apiKey: KEY },
    );
    expect(report.status).toBe(200);
    const hogReport = report.body.servers.find((s) => s.name === hog);
    expect(hogReport?.findings.map((f) => f.code)).toContain("oom-killed");
    // Kept for `docker logs`/`docker inspect` (issue 14 #4): one, exited, OOM-killed, named in the view.
    const { body: view } = await rest<{ kept_container: string | null }>(proxy.url, `/servers/${hog}`, {
      apiKey: KEY,
    });
    expect(await containersOfInstance(proxy.instanceId)).toEqual([view.kept_container]);
    const kept = (await inspectContainer(view.kept_container ?? "")) as { State: { OOMKilled: boolean } };
    expect(kept.State.OOMKilled).toBe(true);
  });

  it("removes the kept container when the proxy stops", async () => {
    await proxy.stop();
    expect(await containersOfInstance(proxy.instanceId)).toEqual([]);
  });
});
