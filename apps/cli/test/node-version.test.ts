// `pnpm install` (preinstall) and `pnpm start` run scripts/check-node.js first,
// and the bundled `mcpproxy` binary checks the same at its start: on an old Node
// each prints the same one line (needed, found, how to get it) and exits 1.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { BIN_BUNDLE_OPTIONS } from "../scripts/bundle-options.ts";
import { MIN_NODE_MAJOR, unsupportedNode } from "../src/node-support.ts";

const CHECK = fileURLToPath(new URL("../../../scripts/check-node.js", import.meta.url));
const ROOT_MANIFEST = fileURLToPath(new URL("../../../package.json", import.meta.url));
const CLI_MANIFEST = fileURLToPath(new URL("../package.json", import.meta.url));
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

  it("the binary's minimum is the engines range of its package and of the repository", async () => {
    for (const manifest of [CLI_MANIFEST, ROOT_MANIFEST]) {
      const { engines } = JSON.parse(await readFile(manifest, "utf8")) as { engines: { node: string } };
      expect(engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
    }
    expect(unsupportedNode("21.7.3", "/opt/node21/bin/node")).toMatch(
      /^mcpproxy needs Node\.js >=22 but this is Node\.js 21\.7\.3 \(\/opt\/node21\/bin\/node\): install Node\.js 22 or newer/,
    );
    expect(unsupportedNode("22.0.0", "node")).toBeUndefined();
    expect(unsupportedNode(process.versions.node, process.execPath)).toBeUndefined();
  });

  it.runIf(existsSync(OLD_NODE) && major(OLD_NODE) < 22)(
    "the bundled binary stops an older Node with the same line as scripts/check-node.js, not a TypeError",
    async () => {
      const outdir = await mkdtemp(path.join(tmpdir(), "mcpproxy-bin-"));
      try {
        await build({ ...BIN_BUNDLE_OPTIONS, outdir, minify: false });
        const bin = await execa(OLD_NODE, [path.join(outdir, "bin.js"), "--version"], { reject: false });
        const check = await execa(OLD_NODE, [CHECK], { reject: false });
        expect(bin.exitCode).toBe(1);
        expect(bin.stdout).toBe("");
        expect(bin.stderr).toBe(check.stderr);
        expect(bin.stderr).not.toMatch(/TypeError|at file:/);
      } finally {
        await rm(outdir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
