// Mount specs: where they come from on the host, where they land in the
// container, and whether the host side hands the server the keys to the host.

export interface MountSpec {
  /** Host path or volume name; undefined for an anonymous volume (`-v /data`). */
  source: string | undefined;
  /** Path inside the container. */
  target: string | undefined;
}

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** Splits a `-v` spec: `host:container[:opts]`, `C:\host:/container[:opts]`, or just `/container`. */
export function parseVolumeSpec(spec: string): MountSpec {
  const start = WINDOWS_DRIVE.test(spec) ? 2 : 0;
  const colon = spec.indexOf(":", start);
  if (colon < 0) return { source: undefined, target: spec };
  const rest = spec.slice(colon + 1);
  const next = rest.indexOf(":");
  return { source: spec.slice(0, colon), target: next < 0 ? rest : rest.slice(0, next) };
}

/** Reads a `--mount type=bind,source=/x,target=/y` spec (source only counts for binds). */
export function parseMountSpec(spec: string): MountSpec {
  const fields = new Map<string, string>();
  for (const part of spec.split(",")) {
    const equals = part.indexOf("=");
    if (equals > 0) fields.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  const target = fields.get("target") ?? fields.get("destination") ?? fields.get("dst");
  const source = fields.get("type") === "bind" ? (fields.get("source") ?? fields.get("src")) : undefined;
  return { source, target };
}

/** Target of a `--tmpfs /path[:opts]` spec. */
export function tmpfsTarget(spec: string): string {
  const colon = spec.indexOf(":");
  return colon < 0 ? spec : spec.slice(0, colon);
}

function normalizeHostPath(path: string): string {
  let normalized = path
    .trim()
    .replace(/\\/g, "/")
    .replace(/\/{2,}/g, "/");
  while (normalized.length > 1 && (normalized.endsWith("/") || normalized.endsWith("/."))) {
    normalized = normalized.endsWith("/.") ? normalized.slice(0, -2) || "/" : normalized.slice(0, -1);
  }
  return normalized;
}

/** Normalized container path, for comparing targets (`/tmp/` is `/tmp`). */
export function normalizeTarget(path: string | undefined): string | undefined {
  return path === undefined ? undefined : normalizeHostPath(path);
}

/**
 * Why mounting this host path is dangerous, or undefined: the host's root, a
 * container engine socket (full control of the host), SSH keys, a whole home directory.
 */
export function dangerousHostPath(source: string | undefined): string | undefined {
  if (source === undefined || source === "") return undefined;
  const path = normalizeHostPath(source);
  if (path === "/" || /^[A-Za-z]:\/?$/.test(path)) return "the host's root filesystem";
  if (/(?:^|\/)(?:docker|podman|containerd)\.sock$/i.test(path) || /\/pipe\/docker_engine$/i.test(path)) {
    return "the container engine's socket, which gives full control of the host";
  }
  if (path.split("/").some((segment) => segment.toLowerCase() === ".ssh")) return "SSH keys (.ssh)";
  if (/^(?:~|\$HOME|\$\{HOME\}|\/root|\/home\/[^/]+|\/Users\/[^/]+|[A-Za-z]:\/Users\/[^/]+)$/i.test(path)) {
    return "a whole home directory";
  }
  return undefined;
}
