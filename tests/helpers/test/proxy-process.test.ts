import { afterEach, describe, expect, it } from "vitest";
import {
  proxyChildArgs,
  ProxyProcessError,
  rssBytes,
  startProxyProcess,
  type ProxyProcess,
} from "../src/index.ts";

const serverModule = new URL("./fixtures/fake-server.ts", import.meta.url).href;
const started: ProxyProcess[] = [];

afterEach(async () => {
  for (const proxy of started.splice(0)) await proxy.kill();
});

describe("proxyChildArgs", () => {
  it("passes only the options given, and --stdio last", () => {
    const args = proxyChildArgs({
      serverModule,
      configPath: "/c.json",
      logDir: "/logs",
      restart: { max: 2 },
      stdio: true,
    });
    expect(args.slice(0, 2)).toEqual([
      "--conditions=@mcpproxy/source",
      expect.stringMatching(/proxy-child\.ts$/),
    ]);
    expect(args.slice(2)).toEqual([
      "--server",
      serverModule,
      "/c.json",
      "--log-dir",
      "/logs",
      "--restart-max",
      "2",
      "--stdio",
    ]);
  });
});

describe("startProxyProcess", () => {
  it("starts the server module in a child with the options given, and stops it by the signal given", async () => {
    const proxy = await startProxyProcess({
      serverModule,
      configPath: "/nowhere/mcp_config.json",
      logDir: "/nowhere/logs",
      instanceId: "runner-test",
      callTimeoutMs: 1500,
      restart: { max: 2, initialMs: 50 },
    });
    started.push(proxy);
    expect(proxy).toMatchObject({ instanceId: "runner-test", apiKey: "fake-key", pid: proxy.child.pid });
    const seen = (await (await fetch(proxy.url)).json()) as Record<string, unknown>;
    expect(seen).toMatchObject({
      configPath: "/nowhere/mcp_config.json",
      listen: "127.0.0.1:0",
      logDir: "/nowhere/logs",
      stdio: false,
      console: false,
      callTimeoutMs: 1500,
      restart: { maxRestarts: 2, initialDelayMs: 50 },
    });
    expect(await rssBytes(proxy.pid)).toBeGreaterThan(0);
    expect(await proxy.stop(30_000, "SIGHUP")).toBe(0);
    expect(proxy.child.signalCode).toBeNull();
  });

  it("rejects with the child's stderr when the proxy exits before it is ready", async () => {
    const failing = startProxyProcess({
      serverModule,
      configPath: "/bad/mcp_config.json",
      logDir: "/bad/logs",
      env: { FAKE_START_FAIL: "1" },
    });
    await expect(failing).rejects.toBeInstanceOf(ProxyProcessError);
    await expect(failing).rejects.toThrow(
      /exited \(code 1.*before it was ready[\s\S]*\/bad\/mcp_config\.json is invalid/,
    );
  });
});
