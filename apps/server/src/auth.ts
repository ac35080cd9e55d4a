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

/** The token of `Authorization: Bearer TOKEN`; undefined for no header or another scheme. */
function bearerToken(header: HeaderLookup): string | undefined {
  const authorization = header("authorization");
  if (authorization === undefined) return undefined;
  return /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
}

/**
 * Every key a request presents: `X-API-Key`, `Authorization: Bearer`, and — for
 * clients that cannot send headers — each `?apikey=`. A request is authorised only
 * when all of them match, so a wrong key is never outvoted by a right one beside it.
 */
export function presentedApiKeys(header: HeaderLookup, url: URL): string[] {
  const keys: string[] = [];
  const fromHeader = header("x-api-key");
  if (fromHeader !== undefined) keys.push(fromHeader);
  const bearer = bearerToken(header);
  if (bearer !== undefined) keys.push(bearer);
  keys.push(...url.searchParams.getAll("apikey"));
  return keys;
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
  if (header("authorization") !== undefined && bearerToken(header) === undefined) {
    return { ok: false, reason: `the Authorization header must be "Bearer KEY": ${HOW_TO_SEND}` };
  }
  const presented = presentedApiKeys(header, url);
  if (presented.length === 0) return { ok: false, reason: `missing API key: ${HOW_TO_SEND}` };
  if (!presented.every((key) => apiKeyMatches(expected, key))) {
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
