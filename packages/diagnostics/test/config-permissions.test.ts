import { chmod, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkConfigPermissions } from "../src/index.ts";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-perm-"));
  file = path.join(dir, "mcp config.json");
  await writeFile(file, "{}");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("checkConfigPermissions", () => {
  it("accepts an owner-only file", async () => {
    await chmod(file, 0o600);
    expect(await checkConfigPermissions(file)).toBeUndefined();
  });

  it("warns about a file others can read, with the chmod that fixes it", async () => {
    await chmod(file, 0o644);
    const warning = await checkConfigPermissions(file);
    expect(warning).toMatchObject({
      code: "config-readable-by-others",
      title: expect.stringMatching(/read by other users \(mode 0644\)/) as unknown,
      evidence: [`${file}: mode 0644`],
    });
    expect(warning?.fix).toContain(`chmod 600 '${file}'`);
  });

  it("warns about group-writable files and follows a symlink to the real file", async () => {
    await chmod(file, 0o620);
    const link = path.join(dir, "link.json");
    await symlink(file, link);
    expect((await checkConfigPermissions(link))?.title).toMatch(/written by other users \(mode 0620\)/);
  });

  it("says nothing for a missing file, or on Windows", async () => {
    expect(await checkConfigPermissions(path.join(dir, "none.json"))).toBeUndefined();
    await chmod(file, 0o666);
    expect(await checkConfigPermissions(file, "win32")).toBeUndefined();
  });
});
