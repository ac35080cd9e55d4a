// The workspace's publishable packages and their `pnpm pack` tarballs, found
// anew on every run (a package added tomorrow is checked without editing this).
import { execFile } from "node:child_process";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
}

interface PnpmListEntry {
  name?: string;
  version?: string;
  path: string;
  private?: boolean;
}

/** Every workspace package that is not `"private": true` (the root is always private). */
export async function publishablePackages(): Promise<WorkspacePackage[]> {
  const { stdout } = await run("pnpm", ["ls", "-r", "--json", "--depth=-1"], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const entries = JSON.parse(stdout) as PnpmListEntry[];
  return entries
    .filter((entry) => entry.private !== true && entry.name !== undefined && entry.version !== undefined)
    .map((entry) => ({ name: entry.name ?? "", version: entry.version ?? "", dir: entry.path }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface PackedPackage extends WorkspacePackage {
  tarball: string;
}

/**
 * Packs each package into `outDir` as pnpm would publish it (`workspace:`
 * and `catalog:` ranges replaced, publishConfig applied). Lifecycle scripts are
 * skipped: run `pnpm build` first (CI does); a missing dist/ fails the checks.
 */
export async function packAll(
  packages: readonly WorkspacePackage[],
  outDir: string,
): Promise<PackedPackage[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const packed: PackedPackage[] = [];
  for (const pkg of packages) {
    const before = new Set(await readdir(outDir));
    await run("pnpm", ["pack", "--config.ignore-scripts=true", "--pack-destination", outDir], {
      cwd: pkg.dir,
    });
    const created = (await readdir(outDir)).find((name) => !before.has(name) && name.endsWith(".tgz"));
    if (created === undefined) throw new Error(`pnpm pack wrote no tarball for ${pkg.name} (in ${pkg.dir})`);
    packed.push({ ...pkg, tarball: path.join(outDir, created) });
  }
  return packed;
}
