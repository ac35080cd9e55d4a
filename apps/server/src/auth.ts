// API key checks for the REST API (and /mcp on a non-loopback listener), plus
// the Host/Origin checks that keep web pages from driving a loopback proxy.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isLoopbackHost } from "./listen.ts";

/** The key a request presents: `?apikey=`, `X-API-Key`, or `Authorization: Bearer`. */
export function presentedApiKey(req: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get("apikey");
  if (fromQuery !== null) return fromQuery;
  const header = req.headers["x-api-key"];
  if (typeof header === "string") return header;
  const authorization = req.headers.authorization;
  if (typeof authorization === "string") {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (bearer?.[1]) return bearer[1];
  }
  return undefined;
}

/** Constant-time comparison: both sides are hashed first, so neither length nor prefix leaks. */
export function apiKeyMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash("sha256").update(expected, "utf8").digest();
  const b = createHash("sha256").update(presented, "utf8").digest();
  return timingSafeEqual(a, b);
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
export function refuseCrossSite(req: IncomingMessage, loopbackListener: boolean): string | undefined {
  if (!loopbackListener) return undefined;
  const host = req.headers.host;
  if (typeof host === "string" && !isLoopbackHost(hostOf(host))) {
    return `Host "${host}" is not a loopback name; this proxy listens on loopback only`;
  }
  const origin = req.headers.origin;
  if (typeof origin === "string") {
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
