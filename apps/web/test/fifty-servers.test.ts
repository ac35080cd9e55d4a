// 50 configured servers (4 on the host, 46 disabled: cheap, yet each a full row)
// in a real browser: the list renders them all, and updates live while six of
// the disabled ones are enabled and start. The page records what it spent on
// each event (handler plus the render it caused) and any long task; the numbers
// go to test-results/fifty-servers.json and the log (no timing assertion here:
// they are measurements for the report, the test checks the behaviour).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { startProxy, type RunningProxy } from "@mcpproxy/server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dynamicServer,
  rest,
  tempDir,
  uniqueName,
  waitReady,
  writeConfig,
  type TempDir,
} from "../../server/test/helpers.ts";
import { buildDashboard } from "./build-ui.ts";
import { ARTIFACTS, launchBrowser, screenshot, type Browser } from "./browser.ts";

const KEY = "fifty-servers-key";
const TOTAL = 50;
const RUNNING = 4;
const ENABLED_LIVE = 6;
/** No engine is needed, so this file lands in the unit project: a browser and 10 host servers need more than its 10 s. */
const TIMEOUT_MS = 120_000;

interface Timing {
  type: string;
  ms: number;
}

interface PageMeasures {
  events: Timing[];
  longTasks: number[];
  allRowsAt: number | null;
}

/**
 * Runs in the page before its scripts: times every EventSource listener call
 * together with the render it schedules (Preact renders in a microtask queued
 * by the handler, so a microtask queued after the call runs after that render),
 * notes long tasks and when all rows are first in the table.
 */
function instrument(total: number): void {
  const measures: PageMeasures = { events: [], longTasks: [], allRowsAt: null };
  (globalThis as unknown as { __measures: PageMeasures }).__measures = measures;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) measures.longTasks.push(entry.duration);
  }).observe({ type: "longtask", buffered: true });
  type Add = (this: EventSource, type: string, listener: unknown, options?: unknown) => void;
  const proto = EventSource.prototype as unknown as { addEventListener: Add };
  const add = proto.addEventListener;
  proto.addEventListener = function (type, listener, options) {
    if (typeof listener !== "function") return add.call(this, type, listener, options);
    const handle = listener as (this: EventSource, event: Event) => void;
    const timed = function (this: EventSource, event: Event) {
      const start = performance.now();
      handle.call(this, event);
      queueMicrotask(() => measures.events.push({ type, ms: performance.now() - start }));
    };
    add.call(this, type, timed, options);
  };
  new MutationObserver((_changes, observer) => {
    if (document.querySelectorAll("tr[data-server]").length >= total) {
      measures.allRowsAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

const measuresOf = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __measures: PageMeasures }).__measures);

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    mean_ms: round(sorted.reduce((s, t) => s + t, 0) / Math.max(1, sorted.length)),
    p95_ms: round(at(0.95)),
    max_ms: round(sorted.at(-1) ?? 0),
  };
}

describe("50 servers in the dashboard", () => {
  const names = Array.from({ length: TOTAL }, (_, i) => uniqueName(`s${String(i).padStart(2, "0")}`));
  let tmp: TempDir;
  let proxy: RunningProxy;
  let browser: Browser;

  beforeAll(async () => {
    await buildDashboard();
    tmp = await tempDir();
    const configPath = path.join(tmp.dir, "mcp_config.json");
    await writeConfig(configPath, {
      api_key: KEY,
      mcpServers: names.map((name, i) => dynamicServer(name, { enabled: i < RUNNING })),
    });
    proxy = await startProxy({
      configPath,
      listen: "127.0.0.1:0",
      logDir: path.join(tmp.dir, "logs"),
      console: false,
    });
    await waitReady(proxy.url, KEY, names.slice(0, RUNNING));
    browser = await launchBrowser();
  }, TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await tmp?.remove();
  }, TIMEOUT_MS);

  it(
    "renders all 50 rows and follows six servers being enabled, live",
    async () => {
      const page = browser.page;
      await page.goto(`${proxy.url}/ui/`);
      await page.getByLabel("API key").fill(KEY);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Servers" }).waitFor();
      // Measure a fresh load with the session in place: the list straight from the snapshot.
      await page.addInitScript(instrument, TOTAL);
      await page.reload();
      await expect.poll(() => page.locator("tr[data-server]").count(), { timeout: 30_000 }).toBe(TOTAL);
      await page.getByText(`${TOTAL} servers, ${RUNNING} ready`).waitFor();
      const loaded = await measuresOf(page);
      expect(loaded.allRowsAt).not.toBeNull();

      const enabled = names.slice(RUNNING, RUNNING + ENABLED_LIVE);
      const before = (await measuresOf(page)).events.length;
      for (const name of enabled)
        await rest(proxy.url, `/servers/${name}/enable`, { apiKey: KEY, method: "POST" });
      await page.getByText(`${TOTAL} servers, ${RUNNING + ENABLED_LIVE} ready`).waitFor({ timeout: 90_000 });
      for (const name of enabled) {
        expect(await page.locator(`tr[data-server="${name}"] td`).first().innerText()).toBe("ready");
      }
      await screenshot(page, "fifty-servers");

      const after = await measuresOf(page);
      const snapshot = after.events.filter((e) => e.type === "snapshot");
      const live = after.events.slice(before);
      expect(live.filter((e) => e.type === "server").length).toBeGreaterThanOrEqual(ENABLED_LIVE);
      const report = {
        servers: TOTAL,
        all_rows_rendered_ms_after_navigation: Math.round(loaded.allRowsAt ?? 0),
        snapshot_handling_and_render: summary(snapshot.map((e) => e.ms)),
        live_events_handling_and_render: summary(live.map((e) => e.ms)),
        live_event_types: Object.fromEntries(
          [...new Set(live.map((e) => e.type))].map((t) => [t, live.filter((e) => e.type === t).length]),
        ),
        long_tasks_over_50ms: after.longTasks.map((d) => Math.round(d)),
      };
      await mkdir(ARTIFACTS, { recursive: true });
      await writeFile(path.join(ARTIFACTS, "fifty-servers.json"), `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(`50-server dashboard measurements: ${JSON.stringify(report)}\n`);
    },
    TIMEOUT_MS,
  );
});
