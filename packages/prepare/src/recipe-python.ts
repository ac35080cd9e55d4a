// Python recipe (uvx / uv tool run, pipx run, pip-installed entry points): a
// build stage creates a virtualenv on the runtime image, installs the launcher
// the runner needs (uv or pipx) and the package at its exact version — with
// `--require-hashes` when the index gave hashes — using the host's index and CA
// bundle; the final stage copies only the virtualenv.
import { BUILD_DIR, CA_FILES, finalStage, pinLabels, tlsLines, installStageStart } from "./dockerfile.ts";
import { PrepareError } from "./errors.ts";
import { recipeId } from "./hash.ts";
import type { BuildRecipe, RecipeInput, ResolvedPackage } from "./recipe.ts";

/** The virtualenv inside the image. */
export const PYTHON_VENV = "/opt/mcpproxy/venv";

/** Launchers pinned into the image so `uvx`/`pipx` also work inside it. */
export const PYTHON_LAUNCHERS = { uv: "uv==0.9.8", pipx: "pipx==1.8.0" } as const;

export interface PythonRecipeInput extends RecipeInput {
  /** Package index URL from the host's pip/uv settings (PIP_INDEX_URL, UV_DEFAULT_INDEX); PyPI when absent. */
  indexUrl?: string | undefined;
}

const PEP503 = (name: string): string => name.toLowerCase().replaceAll(/[-_.]+/g, "-");

/** One requirements.txt line: `name[extras]==version --hash=sha256:…`. */
export function requirementLine(pkg: ResolvedPackage, extras: string | undefined): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(pkg.name) || !/^[A-Za-z0-9.+!_-]+$/.test(pkg.version)) {
    throw new PrepareError(
      "INVALID_INPUT",
      `not a valid resolved Python requirement: ${JSON.stringify(`${pkg.name}==${pkg.version}`)}`,
    );
  }
  const hashes = pkg.integrity.split(/\s+/).filter((hash) => /^sha256:[0-9a-f]{64}$/.test(hash));
  return [`${pkg.name}${extras ?? ""}==${pkg.version}`, ...hashes.map((hash) => `--hash=${hash}`)].join(" ");
}

function installCommand(input: PythonRecipeInput, hashed: boolean): string {
  const pip = `${PYTHON_VENV}/bin/python -m pip install --no-cache-dir --disable-pip-version-check`;
  const requireHashes = hashed ? " --require-hashes" : "";
  const launcher = input.spec.runner === "pipx run" ? PYTHON_LAUNCHERS.pipx : PYTHON_LAUNCHERS.uv;
  const steps = [`python3 -m venv ${PYTHON_VENV}`, `${pip} ${launcher}`];
  if (input.spec.runner === "pipx run" || input.spec.runner === "pip install") {
    steps.push(`${pip}${requireHashes} -r ${BUILD_DIR}/requirements.txt`);
  } else {
    steps.push(
      `${PYTHON_VENV}/bin/uv pip install --python ${PYTHON_VENV}/bin/python --no-cache${requireHashes} -r ${BUILD_DIR}/requirements.txt`,
    );
  }
  steps.push(`test -x ${PYTHON_VENV}/bin/${input.spec.bin ?? input.spec.package.name}`);
  return steps.join(" \\\n && ");
}

/** The Dockerfile and context of a Python prepared image. */
export function pythonRecipe(input: PythonRecipeInput): BuildRecipe {
  const { spec, resolved, baseImageId } = input;
  if (spec.ecosystem !== "python")
    throw new PrepareError("INVALID_INPUT", `pythonRecipe got a ${spec.ecosystem} spec`, {
      server: input.server,
    });
  const refs = [spec.package, ...spec.extra];
  if (resolved.length !== refs.length) {
    throw new PrepareError(
      "INVALID_INPUT",
      `resolved ${resolved.length} packages for ${refs.length} requirements`,
      { server: input.server },
    );
  }
  const lines = resolved.map((pkg, i) => {
    if (PEP503(pkg.name) !== PEP503(refs[i]?.name ?? "")) {
      throw new PrepareError(
        "INVALID_INPUT",
        `resolved ${pkg.name} where ${refs[i]?.name ?? "?"} was asked for`,
        { server: input.server },
      );
    }
    return requirementLine(pkg, refs[i]?.extras);
  });
  // pip's --require-hashes is all or nothing: only when every package has hashes.
  const hashed = lines.every((line) => line.includes("--hash="));
  const primary = resolved[0] as ResolvedPackage;
  const bin = spec.bin ?? spec.package.name;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bin)) {
    throw new PrepareError(
      "INVALID_INPUT",
      `${JSON.stringify(bin)} is not a command name an entry point can have`,
      { server: input.server },
    );
  }
  const tls = tlsLines(input.tls, (dir): Record<string, string> => {
    const bundle = input.tls?.caBundle === undefined ? undefined : `${dir}${CA_FILES.bundle}`;
    return bundle === undefined ? {} : { SSL_CERT_FILE: bundle, PIP_CERT: bundle };
  });
  const index =
    input.indexUrl === undefined
      ? []
      : [
          `ENV PIP_INDEX_URL=${JSON.stringify(input.indexUrl)} UV_DEFAULT_INDEX=${JSON.stringify(input.indexUrl)}`,
        ];
  const labels = pinLabels(input, {
    package: { name: primary.name, version: primary.version, integrity: primary.integrity },
    bin,
  });
  const entrypoint = [`${PYTHON_VENV}/bin/${bin}`];
  const dockerfile = [
    `# mcpproxy prepared image for ${JSON.stringify(input.server)}, recipe ${recipeId(spec)}`,
    ...installStageStart(baseImageId),
    ...tls.lines,
    ...index,
    `COPY requirements.txt ${BUILD_DIR}/requirements.txt`,
    `RUN ${installCommand(input, hashed)}`,
    "",
    ...finalStage(baseImageId, PYTHON_VENV, [`ENV PATH=${PYTHON_VENV}/bin:$PATH`], labels, entrypoint),
  ].join("\n");
  return {
    dockerfile,
    files: { "requirements.txt": `${lines.join("\n")}\n`, ...tls.files },
    labels,
    entrypoint,
    runs: { package: { name: primary.name, version: primary.version, integrity: primary.integrity }, bin },
  };
}
