// `pnpm install` (preinstall) and `pnpm start` run scripts/check-node.js first:
// on an old Node it prints one line (needed, found, how to get it) and exits 1.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { describe, expect, it } from "vitest";

const CHECK = fileURLToPath(new URL("../../../scripts/check-node.js", import.meta.url));
const ROOT_MANIFEST = fileURLToPath(new URL("../../../package.json", import.meta.url));
const OLD_NODE = "/usr/bin/node";

function major(node: string): number {
  return Number(execFileSync(node, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }));
}

describe("the Node.js version check", () => {
  it("passes silently on this Node", async () => {
    const result = await execa(process.execPath, [CHECK], { reject: false });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe("");
  });

  it.runIf(existsSync(OLD_NODE) && major(OLD_NODE) < 22)(
    "stops an older Node with one line: version needed, version found, how to get it",
    async () => {
      const result = await execa(OLD_NODE, [CHECK], { reject: false });
      expect(result.exitCode).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/needs Node\.js >=22 but this is Node\.js 2\d\.\d+\.\d+ \(\/usr\/bin\/node\)/);
      expect(lines[0]).toMatch(/install Node\.js 22 or newer/);
      expect(result.stderr).not.toContain("ERR_UNKNOWN_FILE_EXTENSION");
    },
  );

  it("runs before `pnpm install` does anything and before `pnpm start` builds", async () => {
    const { scripts } = JSON.parse(await readFile(ROOT_MANIFEST, "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts["preinstall"]).toBe("node scripts/check-node.js");
    expect(scripts["start"]).toMatch(/^node scripts\/check-node\.js && /);
  });
});
