// Issue 16 #8: an upstream whose tools/list paging never ends (a new cursor on
// every page, or the same one again) is cut off: the proxy keeps the tools
// listed so far, says so in the log, and keeps serving.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import { MAX_TOOL_PAGES } from "../src/upstreams.ts";
import {
  rest,
  startTestProxy,
  tempDir,
  uniqueName,
  waitFor,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";

const KEY = "paging-key";
const endless = fileURLToPath(new URL("./fixtures/endless-paging.ts", import.meta.url));

describe("tools/list paging that never ends", () => {
  const fresh = uniqueName("new-cursors");
  const repeating = uniqueName("same-cursor");
  let tmp: TempDir;
  let proxy: RunningProxy;

  beforeAll(async () => {
    tmp = await tempDir();
    const server = (name: string, mode: string) => ({
      name,
      command: process.execPath,
      args: [endless],
      env: { MODE: mode },
      isolation: { enabled: false },
    });
    proxy = await startTestProxy(tmp, {
      api_key: KEY,
      mcpServers: [server(fresh, "new"), server(repeating, "repeat")],
    });
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("keeps the tools of the pages listed before the cut-off and logs it", async () => {
    const views = await waitFor(async () => {
      const { body } = await rest<{ servers: ServerJson[] }>(proxy.url, "/servers", { apiKey: KEY });
      const byName = new Map(body.servers.map((s) => [s.name, s]));
      return byName.get(fresh)?.tool_count === MAX_TOOL_PAGES && byName.get(repeating)?.tool_count === 1
        ? byName
        : undefined;
    }, "both servers' tool lists to be cut off");
    expect(views.get(fresh)?.state).toBe("ready");
    expect(views.get(repeating)?.state).toBe("ready");
    const log = await readFile(path.join(tmp.dir, "logs", "main.log"), "utf8");
    expect(log).toContain(`tools/list of server ${fresh} did not end after ${MAX_TOOL_PAGES} pages`);
    expect(log).toContain(`tools/list of server ${repeating} did not end after 2 pages`);
  });
});
