import * as fs from "node:fs/promises";
import type * as FsPromises from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, writeConfigFile } from "../src/index.ts";
import { createFileExclusive } from "../src/write.ts";

// Real file system, with a way to make one call fail (a full disk, a failing rename).
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  return { ...actual, open: vi.fn(actual.open), rename: vi.fn(actual.rename), link: vi.fn(actual.link) };
});
const actual = await vi.importActual<typeof FsPromises>("node:fs/promises");

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

let dir: string;
beforeEach(async () => {
  dir = await actual.mkdtemp(join(tmpdir(), "mcpproxy-write-"));
});
afterEach(async () => {
  vi.mocked(fs.open).mockImplementation(actual.open);
  vi.mocked(fs.rename).mockImplementation(actual.rename);
  vi.mocked(fs.link).mockImplementation(actual.link);
  await actual.rm(dir, { recursive: true, force: true });
});

describe("writeConfigFile", () => {
  it("creates a new file with mode 0600", async () => {
    const path = join(dir, "c.json");
    await writeConfigFile(path, "{}\n");
    expect(await actual.readFile(path, "utf8")).toBe("{}\n");
    expect((await actual.stat(path)).mode & 0o777).toBe(0o600);
  });

  it("replaces the file by rename (a new inode) and keeps its mode", async () => {
    const path = join(dir, "c.json");
    await actual.writeFile(path, "old");
    await actual.chmod(path, 0o644);
    const before = await actual.stat(path);
    await writeConfigFile(path, "new");
    const after = await actual.stat(path);
    expect(await actual.readFile(path, "utf8")).toBe("new");
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o644);
    expect(await actual.readdir(dir)).toEqual(["c.json"]);
  });

  it("writes through a symlink instead of replacing it", async () => {
    const target = join(dir, "real.json");
    const link = join(dir, "link.json");
    await actual.writeFile(target, "old");
    await actual.symlink(target, link);
    await writeConfigFile(link, "new");
    expect((await actual.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await actual.readFile(target, "utf8")).toBe("new");
  });

  it("leaves the old file intact when the data cannot be written (disk full)", async () => {
    const path = join(dir, "c.json");
    await actual.writeFile(path, "old content");
    vi.mocked(fs.open).mockImplementationOnce(async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      // The temp file gets part of the text, then the disk is full.
      return new Proxy(handle, {
        get(target, property, receiver) {
          if (property === "writeFile") {
            return async (data: string) => {
              await target.writeFile(data.slice(0, 3));
              throw systemError("ENOSPC");
            };
          }
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    });
    const error: unknown = await writeConfigFile(path, "new content").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: "WRITE_FAILED", file: path, cause: { code: "ENOSPC" } });
    expect((error as Error).message).toBe(
      `could not write ${path}: ENOSPC: simulated; the previous file is unchanged`,
    );
    expect(await actual.readFile(path, "utf8")).toBe("old content");
    expect(await actual.readdir(dir)).toEqual(["c.json"]);
  });

  it("leaves the old file intact when the rename fails", async () => {
    const path = join(dir, "c.json");
    await actual.writeFile(path, "old content");
    vi.mocked(fs.rename).mockRejectedValueOnce(systemError("EIO"));
    await expect(writeConfigFile(path, "new content")).rejects.toMatchObject({ code: "WRITE_FAILED" });
    expect(await actual.readFile(path, "utf8")).toBe("old content");
    expect(await actual.readdir(dir)).toEqual(["c.json"]);
  });

  it("fails with WRITE_FAILED when the directory does not exist", async () => {
    await expect(writeConfigFile(join(dir, "missing", "c.json"), "{}")).rejects.toMatchObject({
      code: "WRITE_FAILED",
      cause: { code: "ENOENT" },
    });
  });
});

describe("createFileExclusive", () => {
  it("creates the file with the exact mode and reports whether it did", async () => {
    const path = join(dir, "c.json");
    expect(await createFileExclusive(path, "first", 0o600)).toBe(true);
    expect(await createFileExclusive(path, "second", 0o600)).toBe(false);
    expect(await actual.readFile(path, "utf8")).toBe("first");
    expect((await actual.stat(path)).mode & 0o777).toBe(0o600);
    expect(await actual.readdir(dir)).toEqual(["c.json"]);
  });

  it("falls back to an exclusive create where hard links are not supported", async () => {
    const path = join(dir, "c.json");
    vi.mocked(fs.link).mockRejectedValue(systemError("EPERM"));
    expect(await createFileExclusive(path, "first", 0o600)).toBe(true);
    expect(await createFileExclusive(path, "second", 0o600)).toBe(false);
    expect(await actual.readFile(path, "utf8")).toBe("first");
    expect(await actual.readdir(dir)).toEqual(["c.json"]);
  });
});
