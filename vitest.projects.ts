// The root Vitest projects: every workspace package's tests, split by what they
// need. Docker-free files form the project named after the package (`pnpm
// test:unit` runs only those, in seconds); files that reach the Docker engine
// form `<name>:docker`; build-pack-install files form `<name>:slow`. A file's kind
// follows from what it imports (itself or through its test-local helpers), so a
// new test file lands in the right project without being listed anywhere.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { TestProjectInlineConfiguration } from "vitest/config";
import { projectConfig, type ProjectKind } from "./vitest.shared.ts";

const ROOT = import.meta.dirname;
const PACKAGE_GLOBS = ["packages", "apps", "tests"];

/** Imports that mean a test file needs the engine or spawns processes (a browser too): not for `test:unit`. */
const DOCKER_IMPORTS = [
  "@mcpproxy/test-images",
  "@mcpproxy/lifecycle",
  "execa",
  "node:child_process",
  "playwright-core",
];
/** Imports that mean a test file builds, packs and installs the workspace. */
const SLOW_IMPORTS = ["scripts/lib/packs.ts"];

const IMPORT = /(?:from|import)\s*\(?\s*"([^"]+)"/g;

function importsOf(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(IMPORT)].map((match) => match[1] ?? "");
}

/**
 * What a test file needs, following its relative imports inside `supportDirs`: the package's
 * test/ dir, and for a test-only package (tests/*) its src/ too, which is test support code.
 */
function kindOf(file: string, supportDirs: string[], seen = new Set<string>()): ProjectKind {
  seen.add(file);
  let kind: ProjectKind = "unit";
  for (const specifier of importsOf(file)) {
    if (SLOW_IMPORTS.some((marker) => specifier.endsWith(marker))) return "slow";
    if (DOCKER_IMPORTS.includes(specifier)) kind = "docker";
    if (!specifier.startsWith(".")) continue;
    const target = path.resolve(path.dirname(file), specifier);
    if (!supportDirs.some((dir) => target.startsWith(dir)) || seen.has(target) || !existsSync(target))
      continue;
    const inner = kindOf(target, supportDirs, seen);
    if (inner === "slow") return "slow";
    if (inner === "docker") kind = "docker";
  }
  return kind;
}

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => path.join(dir, name));
}

export function workspaceProjects(): TestProjectInlineConfiguration[] {
  const projects: TestProjectInlineConfiguration[] = [];
  for (const group of PACKAGE_GLOBS) {
    for (const entry of readdirSync(path.join(ROOT, group), { withFileTypes: true })) {
      const root = path.join(ROOT, group, entry.name);
      if (!entry.isDirectory() || !existsSync(path.join(root, "vitest.config.ts"))) continue;
      const { name } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { name: string };
      const testDir = path.join(root, "test");
      const supportDirs = group === "tests" ? [testDir, path.join(root, "src")] : [testDir];
      const byKind = new Map<ProjectKind, string[]>();
      for (const file of testFiles(testDir)) {
        const kind = kindOf(file, supportDirs);
        byKind.set(kind, [...(byKind.get(kind) ?? []), path.relative(root, file)]);
      }
      for (const [kind, include] of byKind) {
        const projectName = kind === "unit" ? name : `${name}:${kind}`;
        projects.push({ ...projectConfig({ name: projectName, kind, include }), root });
      }
    }
  }
  return projects;
}
