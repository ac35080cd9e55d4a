// The dashboard while the container engine goes away and comes back: a proxy
// (its own process, DOCKER_HOST = a PRIVATE dockerd; the shared engine other
// tests use is never touched) runs an isolated server; the engine is stopped
// with the page open. The "engine unreachable" banner appears without a
// reload, names the waiting server, and goes away once the engine is back and
// the server is ready again.
import path from "node:path";
import { ensureTestImages } from "@mcpproxy/test-images";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fixtureServer,
  privateEngineUnavailable,
  proxyConfig,
  startPrivateEngine,
  startProxyProcess,
  tempDir,
  uniqueName,
  waitAllReady,
  writeConfig,
  type PrivateEngine,
  type ProxyProcess,
  type TempDir,
} from "@mcpproxy/reliability-tests";
import { buildDashboard } from "./build-ui.ts";
import { launchBrowser, screenshot, seriousA11yViolations, type Browser } from "./browser.ts";

const unavailable = await privateEngineUnavailable();
if (unavailable !== undefined) process.stderr.write(`dashboard engine-outage test skipped: ${unavailable}\n`);

const stateOf = (page: Page, name: string) =>
  page.locator(`tr[data-server="${name}"] td`).first().innerText();

describe.skipIf(unavailable !== undefined)("the dashboard during an engine outage", () => {
  const name = uniqueName("outage");
  let temp: TempDir;
  let engine: PrivateEngine | undefined;
  let proxy: ProxyProcess | undefined;
  let browser: Browser | undefined;
  let navigations = 0;

  beforeAll(async () => {
    await buildDashboard();
    const { node } = await ensureTestImages();
    temp = await tempDir();
    engine = await startPrivateEngine();
    await engine.loadImage(node);
    const configPath = path.join(temp.dir, "mcp_config.json");
    await writeConfig(configPath, proxyConfig({ servers: [fixtureServer(name, { image: node })] }));
    proxy = await startProxyProcess({
      configPath,
      logDir: path.join(temp.dir, "logs"),
      env: { DOCKER_HOST: engine.host },
      restart: { max: 1, initialMs: 200 },
    });
    await waitAllReady(proxy.url, proxy.apiKey, [name]);
    browser = await launchBrowser();
    const page = browser.page;
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await engine?.destroy();
    await temp?.remove();
  }, 120_000);

  it("shows the banner while the engine is down and clears it when it is back, without a reload", async () => {
    if (!browser || !proxy || !engine) throw new Error("setup failed");
    const page = browser.page;
    await page.goto(`${proxy.url}/ui/`);
    await page.getByLabel("API key").fill(proxy.apiKey ?? "");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => stateOf(page, name), { timeout: 30_000 }).toBe("ready");
    const banner = page.locator('[data-banner="engine-unreachable"]');
    expect(await banner.count()).toBe(0);
    const loaded = navigations;

    await engine.stop();
    await banner.waitFor({ timeout: 90_000 });
    expect(await banner.getAttribute("role")).toBe("alert");
    expect(await banner.innerText()).toContain("container engine is unreachable");
    expect(await banner.innerText()).toContain(name);
    // Honest about the proxy connection too: the proxy itself is still live.
    expect(await page.locator(".conn").innerText()).toContain("live");
    await screenshot(page, "engine-unreachable");
    expect(await seriousA11yViolations(page)).toEqual([]);

    await engine.start();
    await banner.waitFor({ state: "detached", timeout: 120_000 });
    await expect.poll(() => stateOf(page, name), { timeout: 60_000 }).toBe("ready");
    expect(navigations).toBe(loaded);
  });
});
