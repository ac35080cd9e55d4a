// The dashboard in a real browser (Debian's chromium) against a real proxy with
// real containers: log in, see the servers live, `docker kill` a container and
// watch its row change without a reload, restart it from the button, follow
// its log, see a failed pull's reason and an OOM finding with its fix, search a tool; axe-core finds no
// serious or critical violation and the actions are reachable by keyboard.
import path from "node:path";
import { startProxy, type RunningProxy } from "@mcpproxy/server";
import { ensureTestImages } from "@mcpproxy/test-images";
import { execa } from "execa";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dynamicServer,
  isolatedEverything,
  rest,
  tempDir,
  uniqueName,
  waitReady,
  writeConfig,
  type ServerJson,
  type TempDir,
} from "../../server/test/helpers.ts";
import { buildDashboard } from "./build-ui.ts";
import { launchBrowser, screenshot, seriousA11yViolations, type Browser } from "./browser.ts";

const KEY = "dashboard-test-key";
const HOG = "const keep = []; for (;;) keep.push(Buffer.alloc(1e6, 1));";

const row = (page: Page, name: string) => page.locator(`tr[data-server="${name}"]`);
const cellText = (page: Page, name: string, column: number) =>
  row(page, name).locator("td").nth(column).innerText();

describe("the dashboard in chromium", () => {
  const iso = uniqueName("iso");
  const weather = uniqueName("weather");
  const hog = uniqueName("hog");
  let tmp: TempDir;
  let proxy: RunningProxy;
  let browser: Browser;
  let page: Page;
  let navigations = 0;

  beforeAll(async () => {
    // The dashboard is served from the server package's dist-ui: build it from this source.
    await buildDashboard();
    const images = await ensureTestImages();
    tmp = await tempDir();
    const configPath = path.join(tmp.dir, "mcp_config.json");
    await writeConfig(configPath, {
      api_key: KEY,
      docker_isolation: { enabled: true, default_images: { npx: images.everything, node: images.node } },
      mcpServers: [
        isolatedEverything(iso),
        dynamicServer(weather),
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
      ],
    });
    proxy = await startProxy({
      configPath,
      listen: "127.0.0.1:0",
      logDir: path.join(tmp.dir, "logs"),
      console: false,
      // A killed container stays failed until restarted from the page.
      restart: { maxRestarts: 0 },
    });
    await waitReady(proxy.url, KEY, [iso, weather]);
    browser = await launchBrowser();
    page = browser.page;
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await tmp?.remove();
  });

  it("logs in with the key once; the key stays out of the URL and of script-readable storage", async () => {
    await page.goto(`${proxy.url}/ui/`);
    await page.getByLabel("API key").fill(KEY);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Servers" }).waitFor();
    expect(page.url()).not.toContain(KEY);
    const storage = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
    }));
    expect(storage).toEqual({ cookie: "", local: "{}", session: "{}" });
    const cookies = await browser.context.cookies();
    expect(cookies.find((c) => c.name === "mcpproxy_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
  });

  it("lists the servers live, with isolation, container and tools; no serious a11y violation", async () => {
    await expect.poll(() => cellText(page, iso, 0), { timeout: 30_000 }).toBe("ready");
    expect(await cellText(page, iso, 1)).toContain("net none");
    expect(await cellText(page, iso, 2)).toMatch(/^[0-9a-f]{12}$/);
    expect(Number(await cellText(page, weather, 3))).toBe(5);
    expect(await cellText(page, weather, 1)).toContain("host");
    await expect.poll(() => cellText(page, hog, 7), { timeout: 90_000 }).toMatch(/OOM|memory/i);
    await screenshot(page, "servers");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("gauges a running container's memory against its real limit; says why a host server has none", async () => {
    const memory = row(page, iso).getByRole("meter", { name: `Memory of ${iso}` });
    await memory.waitFor({ timeout: 30_000 });
    const gauge = await memory.evaluate((el) => ({
      value: (el as HTMLMeterElement).value,
      max: (el as HTMLMeterElement).max,
      text: el.getAttribute("aria-valuetext"),
    }));
    expect(gauge.value).toBeGreaterThan(0);
    expect(gauge.max).toBe(512 * 1024 * 1024);
    expect(gauge.text).toMatch(/^\d+\.\d MiB of 512m \(/);
    expect(await cellText(page, iso, 5)).toContain("of 512m");
    expect(await cellText(page, weather, 5)).toBe("host: no container stats");
    // The OOM-killed server (failed, no restart budget) has no container to sample.
    expect(await cellText(page, hog, 5)).toBe("not running");
    // The next sample (about one a second) arrives without a reload.
    const sampled = row(page, iso).locator(".gauge").first();
    const before = await sampled.getAttribute("data-sample-at");
    expect(before).toMatch(/^\d{4}-/);
    await expect.poll(() => sampled.getAttribute("data-sample-at"), { timeout: 30_000 }).not.toBe(before);
    await screenshot(page, "gauges");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("shows a `docker kill` on the page without a reload", async () => {
    const before = navigations;
    const { body } = await rest<ServerJson>(proxy.url, `/servers/${iso}`, { apiKey: KEY });
    const id = body.isolation.container_id;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    await execa("docker", ["kill", id!]);
    await expect.poll(() => cellText(page, iso, 0), { timeout: 60_000 }).toBe("failed");
    expect(await cellText(page, iso, 7)).not.toBe("none");
    expect(navigations).toBe(before);
  });

  it("restarts the server from its page's button, reached by keyboard", async () => {
    await row(page, iso).getByRole("link", { name: iso }).click();
    await page.getByRole("heading", { name: iso }).waitFor();
    const restart = page.getByRole("button", { name: "Restart", exact: true });
    // Tab from the top of the page until the Restart button has the focus.
    await page.locator("body").focus();
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await restart.evaluate((el) => el === document.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Restarted." }).waitFor({ timeout: 90_000 });
    await expect.poll(() => page.locator(".state").first().innerText(), { timeout: 30_000 }).toBe("ready");
    await expect
      .poll(() => page.locator("pre.cmd").first().innerText(), { timeout: 30_000 })
      .toMatch(/^docker run .*--memory=512m .*--network=none /);
    await screenshot(page, "server");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("follows the log, pauses it and searches it", async () => {
    const log = page.getByLabel(`Log of ${iso}`);
    await expect.poll(() => log.innerText(), { timeout: 30_000 }).toMatch(/\S/);
    const lines = async () => (await log.innerText()).split("\n").length;
    const count = await lines();
    // Another restart writes new lines: the followed log shows them without a reload.
    await rest(proxy.url, `/servers/${iso}/restart`, { apiKey: KEY, method: "POST" });
    await expect.poll(lines, { timeout: 30_000 }).toBeGreaterThan(count);
    await page.getByRole("button", { name: "Pause" }).click();
    const resume = page.getByRole("button", { name: "Resume following" });
    expect(await resume.getAttribute("aria-pressed")).toBe("true");
    await page.getByText("· paused").waitFor();
    await page.getByLabel("Search the log").fill("zz-no-such-line");
    await expect.poll(() => log.innerText()).toBe("");
    await page.getByLabel("Search the log").fill("");
    await page.getByRole("button", { name: "Resume following" }).click();
  });

  it("says why pulling the image failed (no registry is reachable here)", async () => {
    await page.getByRole("button", { name: "Pull image" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /IMAGE_PULL_FAILED: .*mcpproxy-test\/everything/ })
      .waitFor({ timeout: 60_000 });
  });

  it("streams the log (no polling): a line the server prints appears while following", async () => {
    const polls: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (/\/logs(\?|$)/.test(request.url())) polls.push(request.url());
    };
    page.on("request", onRequest);
    try {
      await page.goto(`${proxy.url}/ui/#/servers/${weather}`);
      const log = page.getByLabel(`Log of ${weather}`);
      const starting = `dynamic upstream ${weather} starting`;
      const count = async () => (await log.innerText()).split(starting).length - 1;
      await expect.poll(count, { timeout: 30_000 }).toBe(1);
      await page.getByText("· following").waitFor();
      const before = navigations;
      // The restarted server prints its start line again: it reaches the page over the open stream.
      await rest(proxy.url, `/servers/${weather}/restart`, { apiKey: KEY, method: "POST" });
      await expect.poll(count, { timeout: 30_000 }).toBe(2);
      expect(navigations).toBe(before);
      expect(polls).toEqual([]);
    } finally {
      page.off("request", onRequest);
    }
  });

  it("shows the OOM finding with its fix and a config snippet to copy", async () => {
    await page.goto(`${proxy.url}/ui/#/servers/${hog}`);
    const finding = page.locator('article.finding[data-code="oom-killed"]');
    await finding.waitFor({ timeout: 60_000 });
    expect(await finding.innerText()).toMatch(/Fix: .*memory_limit/s);
    await expect.poll(() => finding.locator("pre.cmd").first().innerText()).toContain(hog);
    expect(await finding.getByRole("button", { name: /Copy the config snippet/ }).count()).toBe(1);
  });

  it("searches tools with retrieve_tools' ranking", async () => {
    await page.getByRole("link", { name: "Tools" }).click();
    await page.getByLabel("Search tools").fill("weather forecast city");
    await expect
      .poll(() => page.locator("ol.tools li").first().getAttribute("data-tool"), { timeout: 15_000 })
      .toBe(`${weather}:weather_forecast`);
    await screenshot(page, "tools");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("says it is reconnecting when the proxy goes away", async () => {
    await page.getByRole("link", { name: "Servers" }).click();
    await page.getByRole("heading", { name: "Servers" }).waitFor();
    expect(await page.getByText("Reconnecting to the proxy").count()).toBe(0);
    await proxy.stop();
    await page.getByText("Reconnecting to the proxy").waitFor({ timeout: 30_000 });
    expect(await page.locator(".conn").innerText()).toContain("offline");
  });
});
