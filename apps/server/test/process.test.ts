// Done-when #3 (process side): a real proxy process stopped with SIGTERM exits
// 0 and leaves no container; the same fixture serves MCP over stdio.
import path from "node:path";
import { proxyChildArgs, startProxyProcess, type ProxyProcess } from "@mcpproxy/test-helpers";
import { ensureTestImages } from "@mcpproxy/test-images";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callTool,
  containersOfInstance,
  dynamicServer,
  isolatedEverything,
  plainEverything,
  rest,
  serverModule,
  tempDir,
  textOf,
  uniqueName,
  waitFor,
  waitReady,
  writeConfig,
  type TempDir,
} from "./helpers.ts";

describe("proxy process", () => {
  let tmp: TempDir;
  const proxies: ProxyProcess[] = [];

  beforeAll(async () => {
    tmp = await tempDir();
  });

  afterAll(async () => {
    for (const proxy of proxies) await proxy.kill();
    await tmp?.remove();
  });

  it.each(["SIGTERM", "SIGHUP"] as const)(
    "stops every upstream and removes every container on %s, then exits 0",
    async (signal) => {
      const images = await ensureTestImages();
      const iso = uniqueName("sig-iso");
      const plain = uniqueName("sig-plain");
      const configPath = path.join(tmp.dir, `signal-${signal}.json`);
      await writeConfig(configPath, {
        api_key: "sig-key-0123456789abcdef0123456789",
        docker_isolation: { enabled: true, default_images: { npx: images.everything } },
        mcpServers: [isolatedEverything(iso), plainEverything(plain)],
      });
      const ready = await startProxyProcess({
        serverModule,
        configPath,
        logDir: path.join(tmp.dir, `signal-logs-${signal}`),
      });
      proxies.push(ready);
      expect(ready.apiKey).toBe("sig-key-0123456789abcdef0123456789");
      await waitReady(ready.url, ready.apiKey, [iso, plain]);
      expect(await containersOfInstance(ready.instanceId)).toHaveLength(1);

      const code = await ready.stop(60_000, signal);
      expect({ code, signal: ready.child.signalCode }).toEqual({ code: 0, signal: null });
      expect(await containersOfInstance(ready.instanceId)).toEqual([]);
      const after = await rest(ready.url, "/health").then(
        () => "answered",
        () => "refused",
      );
      expect(after).toBe("refused");
    },
  );

  it("serves MCP over stdio, with stdout kept for the protocol", async () => {
    const dyn = uniqueName("stdio-dyn");
    const configPath = path.join(tmp.dir, "stdio.json");
    await writeConfig(configPath, { mcpServers: [dynamicServer(dyn)] });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: proxyChildArgs({
        serverModule,
        configPath,
        logDir: path.join(tmp.dir, "stdio-logs"),
        stdio: true,
      }),
      stderr: "pipe",
    });
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["call_tool", "retrieve_tools", "upstream_servers"]);
      const answer = await waitFor(async () => {
        const result = await callTool(client, "call_tool", {
          name: `${dyn}:weather_forecast`,
          args: { city: "Rome" },
        });
        return result.isError ? undefined : textOf(result);
      }, "the upstream to answer over stdio");
      expect(answer).toBe("Forecast for Rome: sunny");
    } finally {
      const pid = transport.pid;
      await client.close();
      if (pid !== null) {
        await waitFor(
          () => {
            try {
              process.kill(pid, 0);
              return false;
            } catch {
              return true;
            }
          },
          "the stdio proxy to exit when its client went away",
          20_000,
        );
      }
    }
  });
});
