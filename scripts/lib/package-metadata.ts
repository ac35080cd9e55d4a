// What every publishable package.json must carry besides what publint checks:
// the fields a registry page and `npm i` users rely on, and the release habits
// of this workspace (CONTRIBUTING.md, "Adding a package").
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT, type WorkspacePackage } from "./packs.ts";

interface Manifest {
  license?: string;
  homepage?: string;
  bugs?: { url?: string };
  repository?: { url?: string; directory?: string };
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  publishConfig?: { access?: string; exports?: unknown };
}

export async function metadataProblems(pkg: WorkspacePackage): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(pkg.dir, "package.json"), "utf8")) as Manifest;
  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => {
    if (!ok) problems.push(`package.json: ${problem}`);
  };
  const dir = path.relative(REPO_ROOT, pkg.dir);
  need(manifest.license === "MIT", `"license" must be "MIT"`);
  need(typeof manifest.homepage === "string", `"homepage" is missing`);
  need(typeof manifest.bugs?.url === "string", `"bugs.url" is missing`);
  need(manifest.repository?.directory === dir, `"repository.directory" must be "${dir}"`);
  need(manifest.publishConfig?.access === "public", `"publishConfig.access" must be "public"`);
  need(
    manifest.publishConfig?.exports !== undefined &&
      !JSON.stringify(manifest.publishConfig.exports).includes("@mcpproxy/source"),
    `"publishConfig.exports" must repeat "exports" without the @mcpproxy/source condition`,
  );
  need(manifest.scripts?.prepack !== undefined, `"scripts.prepack" must build the package`);
  need(manifest.files?.includes("CHANGELOG.md") === true, `"files" must include CHANGELOG.md`);
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (name.startsWith("@mcpproxy/"))
      need(range === "workspace:^", `dependency ${name} must be "workspace:^"`);
  }
  for (const file of ["README.md", "CHANGELOG.md", "LICENSE"]) {
    if (!existsSync(path.join(pkg.dir, file))) problems.push(`${file} is missing in ${dir}`);
  }
  return problems;
}
