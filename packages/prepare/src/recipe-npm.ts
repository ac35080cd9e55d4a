// npm-family recipe (npx, npm exec, pnpm dlx, yarn dlx; bunx installs with bun):
// a build stage installs the exact resolved versions with the host's registry
// settings and CA certificates and checks the installed integrity; the final
// stage copies only the installed tree onto the same runtime image.
import { BUILD_DIR, CA_FILES, finalStage, pinLabels, tlsLines, installStageStart } from "./dockerfile.ts";
import { PrepareError } from "./errors.ts";
import { recipeId } from "./hash.ts";
import type { BuildRecipe, RecipeInput, ResolvedPackage } from "./recipe.ts";

/** Where the packages are installed inside the image. */
export const NPM_APP_DIR = "/opt/mcpproxy/app";

export interface NpmRecipeInput extends RecipeInput {
  /** .npmrc text for the build stage (registry URL, auth for it); built by the host side from the user's npm config. */
  npmrc?: string | undefined;
}

/** Which installed command runs: the one named, else the package's only bin, else the bin named like the package. */
export function chooseNpmBin(input: Pick<RecipeInput, "spec" | "resolved" | "server">): {
  package: ResolvedPackage;
  bin: string;
  path: string;
} {
  const { spec, resolved } = input;
  if (spec.bin !== undefined) {
    for (const pkg of resolved) {
      const path = pkg.bin[spec.bin];
      if (path !== undefined) return { package: pkg, bin: spec.bin, path };
    }
    throw new PrepareError(
      "INVALID_INPUT",
      `none of ${resolved.map((p) => `${p.name}@${p.version}`).join(", ")} provides the command ${JSON.stringify(spec.bin)}`,
      {
        server: input.server,
        package: spec.package.raw,
        fix: "check the command name after the package options (npm shows a package's commands with `npm view PKG bin`)",
      },
    );
  }
  const pkg = resolved[0];
  if (pkg === undefined)
    throw new PrepareError("INVALID_INPUT", "no resolved package to install", { server: input.server });
  const bins = Object.entries(pkg.bin);
  const unscoped = pkg.name.slice(pkg.name.indexOf("/") + 1);
  const chosen = bins.length === 1 ? bins[0] : bins.find(([name]) => name === unscoped);
  if (chosen === undefined) {
    const names = bins.map(([name]) => name);
    throw new PrepareError(
      "INVALID_INPUT",
      names.length === 0
        ? `${pkg.name}@${pkg.version} has no command (no "bin" in its package.json), so there is nothing to run`
        : `${pkg.name}@${pkg.version} has several commands (${names.join(", ")}) and none is named like the package`,
      {
        server: input.server,
        package: spec.package.raw,
        fix: `name the command: \`npx -p ${pkg.name} <command>\``,
      },
    );
  }
  return { package: pkg, bin: chosen[0], path: chosen[1] };
}

/** Checks, inside the build, that what got installed is exactly what was resolved on the host. */
const VERIFY_SCRIPT = `"use strict";
// Fails the build when an installed package differs from the version/integrity resolved on the host.
const fs = require("node:fs");
const path = require("node:path");
const expected = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const modules = path.join(process.argv[3], "node_modules");
const lockFile = path.join(modules, ".package-lock.json");
const lock = fs.existsSync(lockFile) ? JSON.parse(fs.readFileSync(lockFile, "utf8")).packages || {} : undefined;
let failed = false;
for (const want of expected) {
  const manifest = JSON.parse(fs.readFileSync(path.join(modules, want.name, "package.json"), "utf8"));
  const entry = lock && lock["node_modules/" + want.name];
  if (manifest.version !== want.version) {
    console.error("mcpproxy: installed " + want.name + "@" + manifest.version + ", resolved " + want.version);
    failed = true;
  } else if (entry && want.integrity && entry.integrity !== want.integrity) {
    console.error("mcpproxy: integrity of " + want.name + "@" + want.version + " is " + entry.integrity + ", the registry said " + want.integrity);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
`;

function bundleEnv(input: NpmRecipeInput): (dir: string) => Record<string, string> {
  return (dir) => ({
    ...(input.tls?.extraCaCerts === undefined ? {} : { NODE_EXTRA_CA_CERTS: `${dir}${CA_FILES.extra}` }),
    ...(input.tls?.caBundle === undefined ? {} : { npm_config_cafile: `${dir}${CA_FILES.bundle}` }),
  });
}

/** The Dockerfile and context of an npm-family prepared image. */
export function npmRecipe(input: NpmRecipeInput): BuildRecipe {
  const { spec, resolved, baseImageId } = input;
  if (spec.ecosystem !== "npm")
    throw new PrepareError("INVALID_INPUT", `npmRecipe got a ${spec.ecosystem} spec`, {
      server: input.server,
    });
  const runs = chooseNpmBin(input);
  const bun = spec.runner === "bunx";
  const pinned = resolved.map(({ name, version, integrity }) => ({ name, version, integrity }));
  const manifest = {
    name: "mcpproxy-prepared",
    private: true,
    description: `Prepared by mcpproxy for ${input.server}`,
    dependencies: Object.fromEntries(resolved.map((pkg) => [pkg.name, pkg.version])),
  };
  const tls = tlsLines(input.tls, bundleEnv(input));
  const files: Record<string, string> = {
    "package.json": `${JSON.stringify(manifest, null, 2)}\n`,
    "expected.json": `${JSON.stringify(pinned, null, 2)}\n`,
    "verify.cjs": VERIFY_SCRIPT,
    ...tls.files,
  };
  if (input.npmrc !== undefined) files["npmrc"] = input.npmrc;
  const interpreter = bun ? "bun" : "node";
  const install = bun
    ? "bun install --production --no-save"
    : "npm install --omit=dev --no-audit --no-fund --no-update-notifier";
  const entrypoint = [
    interpreter,
    `${NPM_APP_DIR}/node_modules/${runs.package.name}/${runs.path.replace(/^\.\//, "")}`,
  ];
  const runsPin = {
    package: { name: runs.package.name, version: runs.package.version, integrity: runs.package.integrity },
    bin: runs.bin,
  };
  const labels = pinLabels(input, runsPin);
  const dockerfile = [
    `# mcpproxy prepared image for ${JSON.stringify(input.server)}, recipe ${recipeId(spec)}`,
    ...installStageStart(baseImageId),
    ...tls.lines,
    ...(input.npmrc === undefined
      ? []
      : [`COPY npmrc ${BUILD_DIR}/npmrc`, `ENV NPM_CONFIG_USERCONFIG=${BUILD_DIR}/npmrc`]),
    `COPY expected.json verify.cjs ${BUILD_DIR}/`,
    `COPY package.json ${NPM_APP_DIR}/package.json`,
    `WORKDIR ${NPM_APP_DIR}`,
    `RUN ${install} && ${interpreter} ${BUILD_DIR}/verify.cjs ${BUILD_DIR}/expected.json ${NPM_APP_DIR}`,
    "",
    ...finalStage(baseImageId, NPM_APP_DIR, [], labels, entrypoint),
  ].join("\n");
  return {
    dockerfile,
    files,
    labels,
    entrypoint,
    runs: runsPin,
  };
}
