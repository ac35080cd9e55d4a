// Small helpers shared by the recipes for writing Dockerfile text safely.
import { recipeId } from "./hash.ts";
import { PREPARED_LABELS, type PinnedPackage } from "./labels.ts";
import type { BuildTls, RecipeInput } from "./recipe.ts";

/** A Dockerfile LABEL/ENV value: double-quoted, with `\`, `"` and `$` escaped (no variable expansion). */
export function dockerfileValue(value: string): string {
  if (/[\r\n]/.test(value))
    throw new TypeError(`a Dockerfile value cannot contain a line break: ${JSON.stringify(value)}`);
  return `"${value.replaceAll(/[\\"$]/g, (ch) => `\\${ch}`)}"`;
}

/** `LABEL k="v" \` lines, keys sorted so the text is stable. */
export function labelLines(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return `LABEL ${entries.map(([key, value]) => `${key}=${dockerfileValue(value)}`).join(" \\\n      ")}`;
}

/** Build-stage directory for files that must never reach the final image. */
export const BUILD_DIR = "/mcpproxy-build";

/** Context file names for the host's CA certificates. */
export const CA_FILES = { extra: "extra-ca.pem", bundle: "ca-bundle.pem" } as const;

/**
 * COPY + ENV lines that make the build stage trust the host's extra CA
 * certificates (a re-signing corporate proxy), explicitly and visibly.
 */
export function tlsLines(
  tls: BuildTls | undefined,
  env: (file: string) => Record<string, string>,
): { lines: string[]; files: Record<string, string> } {
  const files: Record<string, string> = {};
  const lines: string[] = [];
  if (tls?.extraCaCerts !== undefined) files[CA_FILES.extra] = tls.extraCaCerts;
  if (tls?.caBundle !== undefined) files[CA_FILES.bundle] = tls.caBundle;
  for (const name of Object.keys(files)) lines.push(`COPY ${name} ${BUILD_DIR}/${name}`);
  const vars = env(`${BUILD_DIR}/`);
  const set = Object.entries(vars).map(([key, value]) => `${key}=${dockerfileValue(value)}`);
  if (set.length > 0) lines.push(`ENV ${set.join(" ")}`);
  return { lines, files };
}

/** The pin labels of a prepared image (see PREPARED_LABELS). */
export function pinLabels(
  input: RecipeInput,
  runs: { package: PinnedPackage; bin: string },
): Record<string, string> {
  const pinned = input.resolved.map(({ name, version, integrity }) => ({ name, version, integrity }));
  return {
    [PREPARED_LABELS.marker]: "true",
    [PREPARED_LABELS.hash]: input.hash,
    [PREPARED_LABELS.recipe]: recipeId(input.spec),
    [PREPARED_LABELS.runner]: input.spec.runner,
    [PREPARED_LABELS.baseImage]: input.baseImageId,
    [PREPARED_LABELS.package]: runs.package.name,
    [PREPARED_LABELS.version]: runs.package.version,
    [PREPARED_LABELS.integrity]: runs.package.integrity,
    [PREPARED_LABELS.bin]: runs.bin,
    [PREPARED_LABELS.packages]: JSON.stringify(pinned),
  };
}

/** The final stage: the base image plus only the installed directory, the labels and the entrypoint. */
export function finalStage(
  baseImageId: string,
  installed: string,
  extra: string[],
  labels: Record<string, string>,
  entrypoint: string[],
): string[] {
  return [
    `FROM ${baseImageId}`,
    `COPY --from=install ${installed} ${installed}`,
    ...extra,
    labelLines(labels),
    `ENTRYPOINT ${JSON.stringify(entrypoint)}`,
    "CMD []",
    "",
  ];
}

/** The build argument that names one build (a random id per `docker build`). */
export const BUILD_ID_ARG = "MCPPROXY_BUILD_ID";

/**
 * The first lines of the install stage. Its layers hold the build's registry
 * auth and certificates and stay behind as untagged images of the classic
 * builder; the label (one value per build) is how the builder's caller finds
 * and removes exactly them after the build.
 */
export function installStageStart(baseImageId: string): string[] {
  return [
    `FROM ${baseImageId} AS install`,
    `ARG ${BUILD_ID_ARG}`,
    `LABEL ${PREPARED_LABELS.stage}="\${${BUILD_ID_ARG}}"`,
  ];
}
