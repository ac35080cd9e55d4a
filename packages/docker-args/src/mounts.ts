// Mount policy: comparing container paths, and whether a host path hands the
// server the keys to the host. Parsing the specs is @mcpproxy/docker-grammar's.

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
