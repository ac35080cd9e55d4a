import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { apiKeyMatches, presentedApiKey, refuseCrossSite } from "../src/auth.ts";

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe("API key", () => {
  it("reads ?apikey=, X-API-Key and Authorization: Bearer, in that order", () => {
    const url = new URL("http://127.0.0.1/api/v1/servers?apikey=from-query");
    expect(presentedApiKey(request({ "x-api-key": "from-header" }), url)).toBe("from-query");
    const bare = new URL("http://127.0.0.1/api/v1/servers");
    expect(presentedApiKey(request({ "x-api-key": "from-header" }), bare)).toBe("from-header");
    expect(presentedApiKey(request({ authorization: "Bearer tok" }), bare)).toBe("tok");
    expect(presentedApiKey(request({}), bare)).toBeUndefined();
  });

  it("matches only the exact key, whatever the lengths", () => {
    expect(apiKeyMatches("secret", "secret")).toBe(true);
    expect(apiKeyMatches("secret", "secreT")).toBe(false);
    expect(apiKeyMatches("secret", "secret-and-more")).toBe(false);
    expect(apiKeyMatches("secret", "")).toBe(false);
    expect(apiKeyMatches("secret", undefined)).toBe(false);
  });
});

describe("cross-site checks on a loopback listener", () => {
  it("accepts loopback Host and Origin, and requests without Origin", () => {
    expect(refuseCrossSite(request({ host: "127.0.0.1:8080" }), true)).toBeUndefined();
    expect(
      refuseCrossSite(request({ host: "localhost:8080", origin: "http://localhost:3000" }), true),
    ).toBeUndefined();
    expect(refuseCrossSite(request({ host: "[::1]:8080" }), true)).toBeUndefined();
  });

  it("refuses a rebinding Host and a foreign or null Origin", () => {
    expect(refuseCrossSite(request({ host: "evil.example:8080" }), true)).toMatch(/Host/);
    expect(
      refuseCrossSite(request({ host: "127.0.0.1:8080", origin: "https://evil.example" }), true),
    ).toMatch(/origin/);
    expect(refuseCrossSite(request({ host: "127.0.0.1:8080", origin: "null" }), true)).toBeDefined();
  });

  it("does not apply on a non-loopback listener (the API key protects it)", () => {
    expect(
      refuseCrossSite(request({ host: "proxy.lan:8080", origin: "https://x.example" }), false),
    ).toBeUndefined();
  });
});
