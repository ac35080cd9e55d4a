// Small name grammars of `docker run`: network modes, users, capabilities.

/** A container, network or volume name: `[A-Za-z0-9][A-Za-z0-9_.-]*`. */
const OBJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const USER_PART = "[A-Za-z0-9_][A-Za-z0-9_.$-]*";
const USER = new RegExp(`^${USER_PART}(?::${USER_PART})?$`);
const CAPABILITY = /^(?:CAP_)?[A-Z][A-Z0-9_]*$/i;

/** Network modes Docker always has. */
export const BUILTIN_NETWORK_MODES: readonly string[] = ["bridge", "host", "none"];

/** True for a Docker object name (container, network, volume). */
export function isDockerObjectName(text: string): boolean {
  return OBJECT_NAME.test(text);
}

/** bridge, host, none, `container:<name|id>`, or a user-defined network name. */
export function isNetworkMode(text: string): boolean {
  if (text.startsWith("container:")) return OBJECT_NAME.test(text.slice("container:".length));
  return OBJECT_NAME.test(text);
}

/** `--user`: a name or uid, optionally `:group` or `:gid`. */
export function isUser(text: string): boolean {
  return USER.test(text);
}

/** A capability name as `--cap-add`/`--cap-drop` take it (`ALL`, `NET_RAW`, `CAP_NET_RAW`). */
export function isCapability(text: string): boolean {
  return CAPABILITY.test(text);
}

/**
 * Capabilities as the Docker CLI sends them: upper-case, `CAP_`-prefixed (except
 * `ALL`), without duplicates, sorted (`["net_raw", "CAP_NET_RAW", "chown"]` →
 * `["CAP_CHOWN", "CAP_NET_RAW"]`).
 */
export function normalizeCapabilities(capabilities: readonly string[]): string[] {
  const normalized = capabilities.map((capability) => {
    const upper = capability.trim().toUpperCase();
    return upper === "ALL" || upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
  });
  return [...new Set(normalized)].sort();
}
