// Done-when #2: hot reload. Editing a server's memory_limit and touching the
// file restarts only that server, in a new container with the new limit; the
// other container stays. Invalid edits keep the running config and show in
// the log and the API; added servers start, removed ones stop.
import { readFile, utimes } from "node:fs/promises";
import path from "node:path";
import { ensureTestImages, inspectContainer } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import {
  containersOfInstance,
  dynamicServer,
  isolatedEverything,
  rest,
  startTestProxy,
  tempDir,
  uniqueName,
  waitFor,
  waitReady,
  writeConfig,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";

const KEY = "reload-key";

describe("hot reload", () => {
  const first = uniqueName("first");
  const second = uniqueName("second");
  const extra = uniqueName("extra");
  let tmp: TempDir;
  let configPath: string;
  let config: {
    api_key: string;
    docker_isolation: Record<string, unknown>;
    mcpServers: Record<string, unknown>[];
  };
  let proxy: RunningProxy;

  async function servers(): Promise<Map<string, ServerJson>> {
    const { body } = await rest<{ servers: ServerJson[] }>(proxy.url, "/servers", { apiKey: KEY });
    return new Map(body.servers.map((s) => [s.name, s]));
  }

  beforeAll(async () => {
    const images = await ensureTestImages();
    tmp = await tempDir();
    config = {
      api_key: KEY,
      docker_isolation: { enabled: true, default_images: { npx: images.everything }, memory_limit: "96m" },
      mcpServers: [isolatedEverything(first), isolatedEverything(second)],
    };
    proxy = await startTestProxy(tmp, config, { reloadDebounceMs: 100 });
    configPath = proxy.configPath;
    await waitReady(proxy.url, KEY, [first, second]);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("does nothing on a bare touch of an unchanged file", async () => {
    const before = await servers();
    const now = new Date();
    await utimes(configPath, now, now);
    await waitFor(async () => {
      const status = await rest<{ reload: { applied: number } }>(proxy.url, "/status", { apiKey: KEY });
      return status.body.reload.applied >= 1;
    }, "the touch to be applied");
    const after = await servers();
    for (const name of [first, second]) {
      expect(after.get(name)?.isolation.container_id).toBe(before.get(name)?.isolation.container_id);
      expect(after.get(name)?.state).toBe("ready");
    }
  });

  it("restarts only the server whose memory_limit changed, with the new limit", async () => {
    const before = await servers();
    const firstId = before.get(first)!.isolation.container_id!;
    const secondId = before.get(second)!.isolation.container_id!;
    config.mcpServers[0] = isolatedEverything(first, { memory_limit: "128m" });
    await writeConfig(configPath, config);
    const now = new Date();
    await utimes(configPath, now, now);

    const after = await waitFor(async () => {
      const current = await servers();
      const view = current.get(first);
      return view?.state === "ready" && view.isolation.container_id !== firstId && view.tool_count > 0
        ? current
        : undefined;
    }, "the edited server to come back in a new container");
    const view = after.get(first)!;
    expect(view.isolation.memory_limit).toBe("128m");
    const inspected = (await inspectContainer(view.isolation.container_id!)) as {
      HostConfig: { Memory: number };
    };
    expect(inspected.HostConfig.Memory).toBe(128 * 1024 * 1024);
    expect(after.get(second)!.isolation.container_id).toBe(secondId);
    expect(after.get(second)!.state).toBe("ready");
    // the old container is gone; the instance has exactly the two current ones
    expect(await inspectContainer(firstId)).toBeUndefined();
    expect((await containersOfInstance(proxy.instanceId)).sort()).toEqual(
      [view.isolation.container_id!, secondId].sort(),
    );
  });

  it("keeps the running config on an invalid edit and reports it in the API and the log", async () => {
    const before = await servers();
    const valid = await readFile(configPath, "utf8");
    await writeConfig(configPath, {
      ...config,
      docker_isolation: { ...config.docker_isolation, memory_limit: "lots" },
    });
    const status = await waitFor(async () => {
      const { body } = await rest<{ reload: { last_error: { errors: string[] } | null } }>(
        proxy.url,
        "/status",
        {
          apiKey: KEY,
        },
      );
      return body.reload.last_error ?? undefined;
    }, "the invalid edit to be reported");
    expect(status.errors.join("\n")).toMatch(/memory_limit/);
    const main = await readFile(path.join(tmp.dir, "logs", "main.log"), "utf8");
    expect(main).toMatch(/config reload refused, keeping the running config: .*memory_limit/);
    const after = await servers();
    for (const name of [first, second]) {
      expect(after.get(name)?.isolation.container_id).toBe(before.get(name)?.isolation.container_id);
    }
    await writeConfig(configPath, JSON.parse(valid) as Record<string, unknown>);
    await waitFor(async () => {
      const { body } = await rest<{ reload: { last_error: unknown } }>(proxy.url, "/status", { apiKey: KEY });
      return body.reload.last_error === null;
    }, "the fixed file to clear the error");
  });

  it("starts an added server and stops a removed one", async () => {
    const secondId = (await servers()).get(second)!.isolation.container_id!;
    config.mcpServers = [config.mcpServers[0]!, dynamicServer(extra)];
    await writeConfig(configPath, config);
    await waitReady(proxy.url, KEY, [extra]);
    const current = await servers();
    expect([...current.keys()].sort()).toEqual([first, extra].sort());
    await waitFor(
      async () => (await inspectContainer(secondId)) === undefined,
      "the removed server's container to go",
    );
  });
});
