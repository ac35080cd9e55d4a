// Labels on a prepared image: what is pinned in it, and how to read them back.

/** Label keys of prepared images (all under `io.mcpproxy.prepared`). */
export const PREPARED_LABELS = {
  /** "true" on every prepared image: how `list`/`prune` find them. */
  marker: "io.mcpproxy.prepared",
  /** The content hash (also the tag). */
  hash: "io.mcpproxy.prepared.hash",
  /** Recipe id and version, e.g. "npm/1". */
  recipe: "io.mcpproxy.prepared.recipe",
  runner: "io.mcpproxy.prepared.runner",
  /** The runtime image id the build started FROM. */
  baseImage: "io.mcpproxy.prepared.base-image",
  /** The package that provides the command: name, exact version, integrity. */
  package: "io.mcpproxy.prepared.package",
  version: "io.mcpproxy.prepared.version",
  integrity: "io.mcpproxy.prepared.integrity",
  bin: "io.mcpproxy.prepared.bin",
  /** Every installed package as JSON: [{ name, version, integrity }]. */
  packages: "io.mcpproxy.prepared.packages",
  /** On the install stage's (untagged) images only: the build's id, so they are removed after it. */
  stage: "io.mcpproxy.prepared.stage",
} as const;

/** One pinned package. `integrity`: npm's SRI string, or pip's "sha256:…" hashes joined by spaces; "" when unknown. */
export interface PinnedPackage {
  name: string;
  version: string;
  integrity: string;
}

/** What a prepared image's labels say. */
export interface PreparedLabels {
  hash: string;
  recipe: string;
  runner: string;
  baseImage: string;
  package: PinnedPackage;
  bin: string;
  packages: PinnedPackage[];
}

function isPinned(value: unknown): value is PinnedPackage {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry["name"] === "string" &&
    typeof entry["version"] === "string" &&
    typeof entry["integrity"] === "string"
  );
}

/** Reads the labels back; undefined when the image is not a (complete) prepared image. */
export function readPreparedLabels(
  labels: Readonly<Record<string, string>> | null | undefined,
): PreparedLabels | undefined {
  if (labels?.[PREPARED_LABELS.marker] !== "true") return undefined;
  const get = (key: string): string | undefined => labels[key];
  const hash = get(PREPARED_LABELS.hash);
  const name = get(PREPARED_LABELS.package);
  const version = get(PREPARED_LABELS.version);
  if (hash === undefined || name === undefined || version === undefined) return undefined;
  let packages: PinnedPackage[] = [];
  try {
    const parsed: unknown = JSON.parse(get(PREPARED_LABELS.packages) ?? "[]");
    if (Array.isArray(parsed)) packages = parsed.filter(isPinned);
  } catch {
    packages = [];
  }
  return {
    hash,
    recipe: get(PREPARED_LABELS.recipe) ?? "",
    runner: get(PREPARED_LABELS.runner) ?? "",
    baseImage: get(PREPARED_LABELS.baseImage) ?? "",
    package: { name, version, integrity: get(PREPARED_LABELS.integrity) ?? "" },
    bin: get(PREPARED_LABELS.bin) ?? "",
    packages,
  };
}
