// Issue 14 #2 (guide step 7): after fixing something outside the config, a bare
// `touch` of the config retries every server in `failed`/`restarting`, while
// the healthy, unchanged ones keep running (same container).
import { utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import {
  dynamicUpstream,
  isolatedEverything,
  rest,
  startTestProxy,
  tempDir,
  uniqueName,
  waitFor,
  waitReady,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";

const KEY = "retry-on-touch-key";

describe("a touch of the config retries failed servers", () => {
  const healthy = uniqueName("healthy");
  const broken = uniqueName("needs-file");
  let tmp: TempDir;
  let configPath: string;
  let flagFile: string;
  let proxy: RunningProxy;

  async function server(name: string): Promise<ServerJson | undefined> {
    const { body } = await rest<{ servers: ServerJson[] }>(proxy.url, "/servers", { apiKey: KEY });
    return body.servers.find((s) => s.name === name);
  }

  beforeAll(async () => {
    const images = await ensureTestImages();
    tmp = await tempDir();
    flagFile = path.join(tmp.dir, "prerequisite");
    // Fails until a file outside the config exists (a `docker pull`, more memory, ... in real life).
    const script = `test -f '${flagFile}' || { echo 'prerequisite missing' >&2; exit 3; }; exec '${process.execPath}' '${dynamicUpstream}' ${broken}`;
    const config = {
      api_key: KEY,
      docker_isolation: { enabled: false, default_images: { npx: images.everything } },
      mcpServers: [
        isolatedEverything(healthy, { enabled: true }),
        { name: broken, command: "sh", args: ["-c", script], isolation: { enabled: false } },
      ],
    };
    proxy = await startTestProxy(tmp, config, {
      reloadDebounceMs: 100,
      restart: { maxRestarts: 1, initialDelayMs: 50 },
    });
    configPath = proxy.configPath;
    await waitReady(proxy.url, KEY, [healthy]);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("brings a failed server up after the fix and a touch, leaving the healthy one alone", async () => {
    await waitFor(async () => (await server(broken))?.state === "failed", "the broken server to fail");
    const healthyBefore = await server(healthy);
    expect(healthyBefore?.state).toBe("ready");

    await writeFile(flagFile, "fixed\n");
    const now = new Date();
    await utimes(configPath, now, now);

    const fixed = await waitFor(async () => {
      const view = await server(broken);
      return view?.state === "ready" && view.tool_count > 0 ? view : undefined;
    }, "the failed server to start after the touch");
    expect(fixed.restarts).toBe(0);
    const healthyAfter = await server(healthy);
    expect(healthyAfter?.state).toBe("ready");
    expect(healthyAfter?.isolation.container_id).toBe(healthyBefore?.isolation.container_id);
  });
});
