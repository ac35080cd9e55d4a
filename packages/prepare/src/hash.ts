// The content hash of a prepared image and its tag. The hash covers what was
// asked for (base image id, package spec as configured, recipe, build settings),
// not what the registry resolved it to: an unchanged config reuses the image
// without asking the registry, so what runs stays pinned until an update.
import { createHash } from "node:crypto";
import { PrepareError } from "./errors.ts";
import type { PackageRef, PackageSpec } from "./spec.ts";

/** Bumped whenever generated Dockerfiles change in a way that matters. */
export const RECIPE_VERSION = 1;

/** Repository of every prepared image: `mcpproxy-prepared/<server>`. */
export const PREPARED_REPOSITORY = "mcpproxy-prepared";

export interface HashInput {
  /** Full id (sha256:…) of the runtime image the build starts FROM. */
  baseImageId: string;
  spec: PackageSpec;
  /** Settings that change what gets installed: registry or index URL (never credentials). */
  registry?: string | undefined;
}

function canonicalRef(ref: PackageRef): string[] {
  return [ref.name, ref.range ?? "", ref.extras ?? ""];
}

/** Which recipe builds a spec, with its version, e.g. "npm/1", "uv/1". */
export function recipeId(spec: PackageSpec): string {
  if (spec.ecosystem === "npm") return `${spec.runner === "bunx" ? "bun" : "npm"}/${RECIPE_VERSION}`;
  return `${spec.runner === "pipx run" ? "pipx" : spec.runner === "pip install" ? "pip" : "uv"}/${RECIPE_VERSION}`;
}

/** 16 hex digits of sha256 over the canonical inputs (args excluded: they are passed at `docker run`). */
export function preparedHash(input: HashInput): string {
  const { spec } = input;
  const canonical = JSON.stringify({
    base: input.baseImageId,
    recipe: recipeId(spec),
    ecosystem: spec.ecosystem,
    package: canonicalRef(spec.package),
    extra: spec.extra.map(canonicalRef),
    bin: spec.bin ?? "",
    python: spec.python ?? "",
    registry: input.registry ?? "",
  });
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** A server name as a Docker repository path component: lower case, [a-z0-9._-], no leading separator. */
export function repositoryComponent(server: string): string {
  const cleaned = server
    .toLowerCase()
    .replaceAll(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+/, "")
    .replace(/[._-]+$/, "")
    // Docker allows one "." or "_" between characters; any mixed run becomes "-".
    .replaceAll(/[._-]{2,}/g, "-");
  if (cleaned === "") {
    throw new PrepareError(
      "INVALID_INPUT",
      `server name ${JSON.stringify(server)} has no character usable in an image name; rename the server`,
      { server },
    );
  }
  return cleaned.slice(0, 64);
}

/** `mcpproxy-prepared/<server>:<hash>`. */
export function preparedTag(server: string, hash: string): string {
  return `${PREPARED_REPOSITORY}/${repositoryComponent(server)}:${hash}`;
}
