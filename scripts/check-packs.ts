// `pnpm check:packs [--out DIR]`: packs every publishable workspace package and
// lints each tarball with publint (strict) and Are the Types Wrong (ESM-only
// profile: these packages ship no CommonJS), after checking the release metadata
// of each package.json (scripts/lib/package-metadata.ts). Any message fails the run.
// Run `pnpm build` first. Tarballs stay in DIR (default: .packs/) for install tests.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { metadataProblems } from "./lib/package-metadata.ts";
import { packAll, publishablePackages, REPO_ROOT, type PackedPackage } from "./lib/packs.ts";

const run = promisify(execFile);
const { values } = parseArgs({ options: { out: { type: "string", default: ".packs" } } });
const outDir = path.resolve(REPO_ROOT, values.out);

async function publintProblems(pkg: PackedPackage): Promise<string[]> {
  const bytes = await readFile(pkg.tarball);
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const result = await publint({ pack: { tarball }, strict: true, level: "suggestion" });
  return result.messages.map(
    (message) =>
      `publint ${message.type}: ${formatMessage(message, result.pkg, { color: false }) ?? message.code}`,
  );
}

async function attwProblems(pkg: PackedPackage): Promise<string[]> {
  const attw = path.join(REPO_ROOT, "node_modules", ".bin", "attw");
  try {
    await run(attw, [pkg.tarball, "--profile", "esm-only", "--format", "ascii", "--no-summary"], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return [];
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? String(error);
    return [`attw: ${output.trim()}`];
  }
}

const packages = await publishablePackages();
const packed = await packAll(packages, outDir);
let failed = 0;
for (const pkg of packed) {
  const problems = [
    ...(await metadataProblems(pkg)),
    ...(await publintProblems(pkg)),
    ...(await attwProblems(pkg)),
  ];
  const status = problems.length === 0 ? "ok" : `${problems.length} problem(s)`;
  process.stdout.write(`${pkg.name}@${pkg.version} (${path.basename(pkg.tarball)}): ${status}\n`);
  for (const problem of problems) process.stdout.write(`  ${problem.replaceAll("\n", "\n  ")}\n`);
  if (problems.length > 0) failed += 1;
}
if (failed > 0) {
  process.stderr.write(`${failed} of ${packed.length} packages would publish with problems\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(
    `${packed.length} packages packed and clean in ${path.relative(REPO_ROOT, outDir)}/\n`,
  );
}
