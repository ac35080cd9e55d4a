import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  addServer,
  editConfigFile,
  lockPathFor,
  parseConfig,
  setServerEnabled,
  withConfigLock,
} from "../src/index.ts";

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcpproxy-edit-file-"));
  path = join(dir, "mcp_config.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function configWith(count: number): string {
  const servers = Array.from({ length: count }, (_, i) => `    { "name": "s${i}", "command": "node" }`);
  return `{\n  // comment kept\n  "mcpServers": [\n${servers.join(",\n")}\n  ]\n}\n`;
}

async function enabledOnDisk(): Promise<Map<string, boolean>> {
  const result = parseConfig(await readFile(path, "utf8"));
  if (!result.ok) throw new Error("config on disk does not validate");
  return new Map(result.config.mcpServers.map((s) => [s.name, s.enabled]));
}

describe("editConfigFile: no lost updates", () => {
  it("100 concurrent toggles of different servers in one process all end up on disk", async () => {
    await writeFile(path, configWith(100));
    const wanted = Array.from({ length: 100 }, (_, i) => i % 3 !== 0);
    await Promise.all(wanted.map((enabled, i) => setServerEnabled(path, `s${i}`, enabled)));
    const onDisk = await enabledOnDisk();
    expect(wanted.map((_, i) => onDisk.get(`s${i}`))).toEqual(wanted);
    expect(await readFile(path, "utf8")).toContain("// comment kept");
  });

  it("edits from several processes at once are serialized by the lock file", async () => {
    await writeFile(path, configWith(40));
    const script = fileURLToPath(new URL("./fixtures/toggle-servers.ts", import.meta.url));
    const run = promisify(execFile);
    // 4 processes, each disabling 10 servers one by one, all at the same time.
    await Promise.all(
      [0, 1, 2, 3].map((worker) =>
        run(process.execPath, ["--conditions=@mcpproxy/source", script, path, String(worker * 10), "10"]),
      ),
    );
    const onDisk = await enabledOnDisk();
    expect([...onDisk.values()].filter((enabled) => !enabled)).toHaveLength(40);
  });

  it("starts over from an editor's save that lands between our read and our write", async () => {
    await writeFile(path, configWith(2));
    let calls = 0;
    await editConfigFile(path, (text) => {
      calls++;
      if (calls === 1) {
        // Another program (not taking the lock) saves s0 disabled right now.
        const saved = text.replace(
          '{ "name": "s0", "command": "node" }',
          '{ "name": "s0", "command": "node", "enabled": false }',
        );
        writeFileSync(path, saved);
      }
      return text.replace(
        '{ "name": "s1", "command": "node" }',
        '{ "name": "s1", "command": "node", "enabled": false }',
      );
    });
    expect(calls).toBeGreaterThanOrEqual(2);
    const onDisk = await enabledOnDisk();
    expect(onDisk.get("s1")).toBe(false);
  });

  it("refuses with CONFIG_CHANGED, writing nothing, when the file keeps changing", async () => {
    await writeFile(path, configWith(1));
    let saves = 0;
    const error: unknown = await editConfigFile(
      path,
      (text) => {
        // Each time we read, "someone" saves another version before we write.
        saves++;
        const theirs = text.replace(/\/\/ .*/, `// their save ${saves}`);
        writeFileSync(path, theirs);
        return text.replace('"command": "node"', '"command": "python3"');
      },
      { retries: 2 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CONFIG_CHANGED" });
    expect(await readFile(path, "utf8")).not.toContain("python3");
  });
});

describe("withConfigLock", () => {
  it("takes over a lock file left by a process that is gone", async () => {
    await writeFile(path, configWith(1));
    await writeFile(lockPathFor(path), `999999999@${hostname()}\n`);
    await setServerEnabled(path, "s0", false);
    expect((await enabledOnDisk()).get("s0")).toBe(false);
  });

  it("gives up with CONFIG_LOCKED naming the holder when a live writer keeps the lock", async () => {
    await writeFile(path, configWith(1));
    await writeFile(lockPathFor(path), `${process.pid}@${hostname()}\n`);
    const error: unknown = await withConfigLock(path, () => Promise.resolve(), { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "CONFIG_LOCKED" });
    expect(String((error as Error).message)).toContain(String(process.pid));
  });

  it("concurrent addServer calls each add their server", async () => {
    await writeFile(path, configWith(0).replace("[\n\n  ]", "[]"));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => addServer(path, { name: `new${i}`, command: "node" })),
    );
    const onDisk = await enabledOnDisk();
    expect(onDisk.size).toBe(20);
  });
});
