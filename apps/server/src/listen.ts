// Parsing of the `listen` setting ("host:port") and the loopback rule: the
// proxy binds to loopback by default, and refuses a non-loopback address
// unless an api_key protects it.
import { isIP } from "node:net";
import { ProxyError } from "./errors.ts";

export interface ListenAddress {
  /** Host as given, without IPv6 brackets; "0.0.0.0" for a bare ":port". */
  host: string;
  port: number;
}

/** "127.0.0.1:8080", "localhost:0", "[::1]:8080", ":8080" (all interfaces, as in Go). */
export function parseListen(listen: string): ListenAddress {
  const text = listen.trim();
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  const plain = /^([^:[\]]*):(\d+)$/.exec(text);
  const match = bracketed ?? plain;
  if (!match) {
    throw new ProxyError("LISTEN_INVALID", `listen "${listen}" is not host:port (e.g. "127.0.0.1:8080")`);
  }
  const host = match[1] === "" || match[1] === undefined ? "0.0.0.0" : match[1];
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ProxyError("LISTEN_INVALID", `listen "${listen}": port must be 0-65535`);
  }
  if (bracketed && isIP(host) !== 6) {
    throw new ProxyError("LISTEN_INVALID", `listen "${listen}": brackets are only for IPv6 addresses`);
  }
  return { host, port };
}

/** localhost, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

/** The shortest api_key accepted on a non-loopback listener (a 32-byte key as hex is 64). */
export const MIN_NETWORK_API_KEY_LENGTH = 32;

/** Why `apiKey` cannot protect a listener on `host`, or undefined when it can (or loopback needs none here). */
export function networkKeyProblem(host: string, apiKey: string | undefined): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  if (apiKey === undefined || apiKey === "") {
    return `a non-loopback address (${host}) exposes the API and every upstream tool to the network, and no "api_key" is set`;
  }
  if (apiKey.length < MIN_NETWORK_API_KEY_LENGTH) {
    return `the "api_key" has ${apiKey.length} characters; on a non-loopback address (${host}) it needs at least ${MIN_NETWORK_API_KEY_LENGTH}`;
  }
  return undefined;
}

/** Refuses a non-loopback listen address without an api_key of at least 32 characters. */
export function assertListenAllowed(address: ListenAddress, apiKey: string | undefined): void {
  const problem = networkKeyProblem(address.host, apiKey);
  if (problem !== undefined) {
    throw new ProxyError(
      "INSECURE_LISTEN",
      `refusing to listen on ${address.host}:${address.port}: ${problem}. Remove "api_key" from the config and ` +
        `run \`mcpproxy serve\` once on loopback to get a generated 64-character key, or listen on 127.0.0.1.`,
    );
  }
}

/** "http://host:port", with brackets around IPv6 hosts. */
export function formatHttpUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
