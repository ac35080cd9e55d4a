// Who may use the proxy: the API key check shared by /mcp and the REST API
// (authorizeRequest works on any header lookup, so a Hono middleware can call
// it as well as the node:http listener), the Host/Origin checks that keep web
// pages from driving a loopback proxy, and the redaction of credentials from
// URLs before they reach a log.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isLoopbackHost } from "./listen.ts";

/** Looks up one request header by lower-case name (node:http, Fetch `Headers`, Hono's `c.req.header`). */
export type HeaderLookup = (name: string) => string | undefined;

/** A HeaderLookup over a node:http request. */
export function nodeHeaders(req: Pick<IncomingMessage, "headers">): HeaderLookup {
  return (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}

/**
 * The key a request presents: `X-API-Key`, `Authorization: Bearer`, or — for
 * clients that cannot send headers — `?apikey=`. Headers win over the query.
 */
export function presentedApiKey(header: HeaderLookup, url: URL): string | undefined {
  const fromHeader = header("x-api-key");
  if (fromHeader !== undefined) return fromHeader;
  const authorization = header("authorization");
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (bearer?.[1]) return bearer[1];
  }
  return url.searchParams.get("apikey") ?? undefined;
}

/** Constant-time comparison: both sides are hashed first, so neither length nor prefix leaks. */
export function apiKeyMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash("sha256").update(expected, "utf8").digest();
  const b = createHash("sha256").update(presented, "utf8").digest();
  return timingSafeEqual(a, b);
}

/** What decides access; read per request, so a reloaded api_key applies to the next one. */
export interface AuthPolicy {
  /** The config's api_key (undefined: none set). */
  apiKey: string | undefined;
  /** The listener is bound to a loopback address. */
  loopbackListener: boolean;
  /** The config's `allow_loopback_without_key`: on a loopback listener, no key is asked for. */
  allowLoopbackWithoutKey: boolean;
}

export type AuthDecision = { ok: true } | { ok: false; reason: string };

const HOW_TO_SEND =
  'send it as the "X-API-Key: KEY" or "Authorization: Bearer KEY" header (or ?apikey=KEY where a client cannot send headers)';

/** Whether a request to /mcp or /api/v1 may proceed; the reason says how to fix a refusal. */
export function authorizeRequest(header: HeaderLookup, url: URL, policy: AuthPolicy): AuthDecision {
  if (policy.loopbackListener && policy.allowLoopbackWithoutKey) return { ok: true };
  const expected = policy.apiKey;
  if (expected === undefined || expected === "") {
    return {
      ok: false,
      reason:
        'no "api_key" is set in the config, so every request is refused; add one (`mcpproxy serve` adds a ' +
        'generated key when it is missing) or set "allow_loopback_without_key": true',
    };
  }
  const presented = presentedApiKey(header, url);
  if (presented === undefined) return { ok: false, reason: `missing API key: ${HOW_TO_SEND}` };
  if (!apiKeyMatches(expected, presented)) {
    return { ok: false, reason: `wrong API key: use the "api_key" of the config and ${HOW_TO_SEND}` };
  }
  return { ok: true };
}

/** Query parameters whose values are credentials. */
const SECRET_PARAMS = /^(api[_-]?key|key|token|access[_-]?token|auth|password|secret)$/i;

/**
 * A URL (absolute or a request path) fit for a log: credential query values and
 * user-info replaced with "***"; anything unparsable is reduced to its path.
 */
export function redactUrl(text: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(text, "http://redacted.invalid");
  } catch {
    return text.replace(/[?#].*$/s, "?***");
  }
  let changed = false;
  for (const name of [...new Set(url.searchParams.keys())]) {
    if (SECRET_PARAMS.test(name)) {
      url.searchParams.set(name, "***");
      changed = true;
    }
  }
  const userInfo = url.username !== "" || url.password !== "";
  if (!changed && !userInfo) return text;
  // URLSearchParams encodes the marker; keep it readable.
  const search = url.search.replaceAll("%2A%2A%2A", "***");
  const rest = `${url.pathname}${search}${url.hash}`;
  return absolute ? `${url.protocol}//${userInfo ? "***@" : ""}${url.host}${rest}` : rest;
}

function hostOf(hostHeader: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (bracketed?.[1]) return bracketed[1];
  return hostHeader.replace(/:\d+$/, "");
}

/**
 * On a loopback listener, a request must name a loopback Host (DNS-rebinding
 * protection) and, when a browser sends an Origin, a loopback origin. Returns a
 * reason when the request is refused.
 */
export function refuseCrossSite(header: HeaderLookup, loopbackListener: boolean): string | undefined {
  if (!loopbackListener) return undefined;
  const host = header("host");
  if (host !== undefined && !isLoopbackHost(hostOf(host))) {
    return `Host "${host}" is not a loopback name; this proxy listens on loopback only`;
  }
  const origin = header("origin");
  if (origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).hostname;
    } catch {
      return `Origin "${origin}" is not a URL`;
    }
    if (!isLoopbackHost(originHost)) return `requests from the web origin "${origin}" are not allowed`;
  }
  return undefined;
}
