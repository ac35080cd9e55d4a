import { mkdir, mkdtemp, rename, rm, symlink, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  formatIssues,
  watchConfig,
  writeConfigFile,
  type ConfigChange,
  type ConfigWatcher,
} from "../src/index.ts";

const DEBOUNCE_MS = 40;
const config = (level: string): string => JSON.stringify({ log_level: level });

let dir: string;
let path: string;
let changes: ConfigChange[];
let watcher: ConfigWatcher | undefined;

function start(debounceMs = DEBOUNCE_MS): ConfigWatcher {
  watcher = watchConfig(path, { debounceMs, onChange: (change) => changes.push(change) });
  return watcher;
}

async function waitForChanges(count: number): Promise<void> {
  await vi.waitFor(() => expect(changes.length).toBeGreaterThanOrEqual(count), {
    timeout: 3000,
    interval: 10,
  });
}

/** Long enough for any pending event to have been reported. */
const settle = (): Promise<void> => sleep(DEBOUNCE_MS * 5);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcpproxy-watch-"));
  path = join(dir, "mcp_config.json");
  changes = [];
  await writeFile(path, config("info"));
});
afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe("watchConfig", () => {
  it("knows the config in force from the start, and reports nothing without a change", async () => {
    const w = start();
    expect(w.lastGood()?.log_level).toBe("info");
    await settle();
    expect(changes).toEqual([]);
  });

  it("emits the new config after the file is written in place", async () => {
    start();
    await writeFile(path, config("debug"));
    await waitForChanges(1);
    expect(changes[0]).toMatchObject({ ok: true, source: path, config: { log_level: "debug" } });
  });

  it("emits after an editor-style save: a new file renamed over the old one", async () => {
    start();
    await writeFile(join(dir, "mcp_config.json.swp"), config("warn"));
    await rename(join(dir, "mcp_config.json.swp"), path);
    await waitForChanges(1);
    expect(changes.at(-1)).toMatchObject({ ok: true, config: { log_level: "warn" } });
  });

  it("emits after an atomic write by writeConfigFile", async () => {
    start();
    await writeConfigFile(path, config("error"));
    await waitForChanges(1);
    expect(changes.at(-1)).toMatchObject({ ok: true, config: { log_level: "error" } });
  });

  it("emits the same config again after a bare touch", async () => {
    start();
    const later = new Date(Date.now() + 5000);
    await utimes(path, later, later);
    await waitForChanges(1);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ ok: true, config: { log_level: "info" } });
  });

  it("debounces a burst of writes into one change with the final content", async () => {
    start(300);
    for (const level of ["debug", "warn", "error", "debug", "warn"]) await writeFile(path, config(level));
    await waitForChanges(1);
    await sleep(600);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ ok: true, config: { log_level: "warn" } });
  });

  it("keeps the last good config and emits the errors for an edit that does not validate", async () => {
    const w = start();
    await writeFile(path, '{"log_level": "loud"}');
    await waitForChanges(1);
    const bad = changes[0];
    expect(bad?.ok).toBe(false);
    if (bad === undefined || bad.ok) return;
    expect(formatIssues(bad.errors)).toEqual([
      'log_level: "loud" is not one of "error", "warn", "info" or "debug"',
    ]);
    expect(bad.lastGood?.log_level).toBe("info");
    expect(w.lastGood()?.log_level).toBe("info");

    await writeFile(path, config("debug"));
    await waitForChanges(2);
    expect(changes[1]).toMatchObject({ ok: true, config: { log_level: "debug" } });
    expect(w.lastGood()?.log_level).toBe("debug");
  });

  it("reports a syntax error with file, line and column", async () => {
    start();
    await writeFile(path, '{\n  "log_level": "info"\n  "listen": "127.0.0.1:1"\n}');
    await waitForChanges(1);
    const change = changes[0];
    expect(change && !change.ok && formatIssues(change.errors)).toEqual([
      `${path}:3:3: expected "," before "listen"`,
    ]);
  });

  it("reports a deleted file, then the file created again", async () => {
    start();
    await rm(path);
    await waitForChanges(1);
    expect(changes[0]).toMatchObject({
      ok: false,
      errors: [{ code: "CONFIG_NOT_FOUND" }],
      lastGood: { log_level: "info" },
    });
    await writeFile(path, config("warn"));
    await waitForChanges(2);
    expect(changes[1]).toMatchObject({ ok: true, config: { log_level: "warn" } });
  });

  it("ignores other files in the directory", async () => {
    start();
    await writeFile(join(dir, "other.json"), "{}");
    await writeFile(join(dir, "server-a.log"), "line\n");
    await settle();
    expect(changes).toEqual([]);
  });

  it("starts without a file and reports it once it appears", async () => {
    await rm(path);
    const w = start();
    expect(w.lastGood()).toBeUndefined();
    await writeFile(path, config("debug"));
    await waitForChanges(1);
    expect(changes[0]).toMatchObject({ ok: true, config: { log_level: "debug" } });
  });

  it("reports nothing after close", async () => {
    const w = start();
    w.close();
    w.close();
    await writeFile(path, config("debug"));
    await settle();
    expect(changes).toEqual([]);
  });

  it("throws WATCH_FAILED when the directory does not exist", () => {
    expect(() => watchConfig(join(dir, "missing", "c.json"), { onChange: () => undefined })).toThrow(
      expect.objectContaining({ code: "WATCH_FAILED" }),
    );
  });

  describe("a symlinked config file (dotfiles)", () => {
    let real: string;
    beforeEach(async () => {
      await mkdir(join(dir, "dotfiles"));
      real = join(dir, "dotfiles", "proxy.json");
      await writeFile(real, config("info"));
      await rm(path);
      await symlink(real, path);
    });

    it("emits after the target is edited in its own directory", async () => {
      start();
      await writeFile(real, config("debug"));
      await waitForChanges(1);
      expect(changes.at(-1)).toMatchObject({ ok: true, source: path, config: { log_level: "debug" } });
    });

    it("emits after an editor-style save of the target, and an atomic write through the link", async () => {
      start();
      await writeFile(`${real}.swp`, config("warn"));
      await rename(`${real}.swp`, real);
      await waitForChanges(1);
      expect(changes.at(-1)).toMatchObject({ ok: true, config: { log_level: "warn" } });
      await writeConfigFile(path, config("error"));
      await waitForChanges(2);
      expect(changes.at(-1)).toMatchObject({ ok: true, config: { log_level: "error" } });
    });

    it("follows the link when it is repointed, then watches the new target", async () => {
      start();
      const other = join(dir, "dotfiles", "other.json");
      await writeFile(other, config("warn"));
      await unlink(path);
      await symlink(other, path);
      await waitForChanges(1);
      expect(changes.at(-1)).toMatchObject({ ok: true, config: { log_level: "warn" } });
      await writeFile(other, config("debug"));
      await waitForChanges(2);
      expect(changes.at(-1)).toMatchObject({ ok: true, config: { log_level: "debug" } });
    });
  });
});
