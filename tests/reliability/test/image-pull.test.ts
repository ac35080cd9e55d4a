// Image pulls from a real registry (Debian's docker-registry on 127.0.0.1:5000,
// reached through a throttled loopback relay that plays a slow network): a pull
// longer than the startup timeout does not fail the start; servers sharing an
// image share one pull and show `pulling` with layer/byte progress in the REST
// API and a log line every few seconds; a pull that fails ends in a clear
// `failed` naming the image and the registry's words, after retries, never a
// timeout message.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import {
  ensureTestImages,
  LOOPBACK_REGISTRY,
  pushUniqueImage,
  startThrottledRelay,
  type PushedImage,
  type ThrottledRelay,
} from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listServers, waitFor, type ServerJson } from "../src/mcp.ts";
import { startProxyProcess, type ProxyProcess } from "../src/proxy-process.ts";
import {
  fixtureServer,
  proxyConfig,
  tempDir,
  uniqueName,
  writeConfig,
  type TempDir,
} from "../src/servers.ts";

/** The unique layer: ~6 s through the relay, twice the startup timeout. */
const LAYER_BYTES = 6_000_000;
const RELAY_BYTES_PER_SECOND = 1_000_000;
const STARTUP_TIMEOUT = "3s";

describe("image pulls from a real registry", () => {
  let temp: TempDir;
  let pushed: PushedImage;
  let relay: ThrottledRelay;
  let proxy: ProxyProcess | undefined;
  const shared = [uniqueName("pull-a"), uniqueName("pull-b")];
  const missing = uniqueName("pull-missing");

  beforeAll(async () => {
    const { node } = await ensureTestImages();
    temp = await tempDir();
    // Fails with how to start the registry when none answers (never skipped).
    pushed = await pushUniqueImage(node, LAYER_BYTES);
    relay = await startThrottledRelay(LOOPBACK_REGISTRY, RELAY_BYTES_PER_SECOND);
  }, 180_000);

  afterAll(async () => {
    await proxy?.stop();
    await relay.close();
    await pushed.removeLocal();
    // The proxy pulled it under the relay's address: that tag goes too.
    await execa("docker", ["image", "rm", "-f", `${relay.host}/${pushed.path}`], { reject: false });
    await temp.remove();
  });

  it("pulls once for two servers outside their startup timeout, shows progress, and both become ready", async () => {
    const image = `${relay.host}/${pushed.path}`;
    const missingImage = `${LOOPBACK_REGISTRY}/mcpproxy-test/never-pushed-${missing}:v1`;
    const configPath = path.join(temp.dir, "mcp_config.json");
    const config = proxyConfig({
      servers: [
        ...shared.map((name) => fixtureServer(name, { image })),
        fixtureServer(missing, { image: missingImage }),
      ],
    });
    (config["docker_isolation"] as Record<string, unknown>)["timeout"] = STARTUP_TIMEOUT;
    await writeConfig(configPath, config);
    const logDir = path.join(temp.dir, "logs");
    proxy = await startProxyProcess({ configPath, logDir, restart: { max: 2, initialMs: 200 } });
    const running = proxy;

    const seen = new Map<string, ServerJson[]>();
    const states = async (): Promise<ServerJson[]> => {
      const servers = await listServers(running.url, running.apiKey);
      for (const server of servers) seen.set(server.name, [...(seen.get(server.name) ?? []), server]);
      return servers;
    };
    await waitFor(
      async () => {
        const servers = await states();
        return shared.every((name) => servers.find((s) => s.name === name)?.state === "ready");
      },
      "both servers to be ready after the pull",
      120_000,
      50,
    );

    for (const name of shared) {
      const history = seen.get(name) ?? [];
      const pulling = history.filter((s) => s.state === "pulling");
      expect(pulling.length, `${name} was seen pulling`).toBeGreaterThan(0);
      const last = pulling.at(-1);
      expect(last?.pull?.image).toBe(image);
      expect(last?.pull?.layers).toBeGreaterThan(0);
      expect(last?.state_detail).toMatch(/^pulling image .+: \d+\/\d+ layers/);
      expect(history.some((s) => (s.pull?.bytes_total ?? 0) >= LAYER_BYTES)).toBe(true);
      // The pull did not count against the startup timeout: no failed start, no restart.
      expect(history.map((s) => s.state)).not.toContain("failed");
      expect(history.at(-1)?.restarts).toBe(0);
    }
    // One pull for both: the unique layer crossed the relay once.
    expect(relay.bytesDown).toBeGreaterThan(LAYER_BYTES);
    expect(relay.bytesDown).toBeLessThan(LAYER_BYTES * 1.5);

    const mainLog = await readFile(path.join(logDir, "main.log"), "utf8");
    expect(mainLog).toMatch(new RegExp(`pulling image ${image.replace(/[.:/]/g, "\\$&")}: \\d+/\\d+ layers`));

    // The image nobody pushed: retried with backoff, then failed naming the image and the registry's words.
    const failed = await waitFor(
      async () => (await states()).find((s) => s.name === missing && s.state === "failed"),
      "the server with a missing image to fail",
      60_000,
    );
    expect(failed.last_error?.code).toBe("IMAGE_PULL_FAILED");
    expect(failed.last_error?.message).toContain(missingImage);
    expect(failed.last_error?.message).toMatch(/manifest unknown|not found/i);
    expect(failed.state_detail).not.toMatch(/timed? ?out|did not start within/i);
    expect(seen.get(missing)?.map((s) => s.state)).toContain("restarting");
    expect(failed.restarts).toBe(2);
  }, 240_000);
});
