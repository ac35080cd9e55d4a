import { describe, expect, it } from "vitest";
import {
  apiKeyMatches,
  authorizeRequest,
  nodeHeaders,
  presentedApiKeys,
  redactUrl,
  refuseCrossSite,
  type AuthPolicy,
} from "../src/auth.ts";

function request(headers: Record<string, string>) {
  return nodeHeaders({ headers });
}

describe("API key", () => {
  it("collects X-API-Key, Authorization and every ?apikey=", () => {
    const url = new URL("http://127.0.0.1/api/v1/servers?apikey=q1&apikey=q2");
    expect(presentedApiKeys(request({ "x-api-key": "h", authorization: "Bearer tok" }), url)).toEqual([
      "h",
      "tok",
      "q1",
      "q2",
    ]);
    const bare = new URL("http://127.0.0.1/api/v1/servers");
    expect(presentedApiKeys(request({ authorization: "Basic abc" }), bare)).toEqual([]);
    expect(presentedApiKeys(request({}), bare)).toEqual([]);
  });

  it("matches only the exact key, whatever the lengths", () => {
    expect(apiKeyMatches("secret", "secret")).toBe(true);
    expect(apiKeyMatches("secret", "secreT")).toBe(false);
    expect(apiKeyMatches("secret", "secret-and-more")).toBe(false);
    expect(apiKeyMatches("secret", "")).toBe(false);
    expect(apiKeyMatches("secret", undefined)).toBe(false);
  });
});

describe("authorizeRequest", () => {
  const url = new URL("http://127.0.0.1:8080/mcp");
  const loopback: AuthPolicy = {
    apiKey: "k".repeat(40),
    loopbackListener: true,
    allowLoopbackWithoutKey: false,
  };

  it("asks for the key on loopback too, by default", () => {
    const missing = authorizeRequest(request({}), url, loopback);
    expect(missing).toEqual({
      ok: false,
      reason: expect.stringMatching(/missing API key.*X-API-Key/) as unknown,
    });
    expect(authorizeRequest(request({ "x-api-key": "wrong" }), url, loopback)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/wrong API key/) as unknown,
    });
    expect(authorizeRequest(request({ "x-api-key": "k".repeat(40) }), url, loopback)).toEqual({ ok: true });
    expect(authorizeRequest(request({ authorization: `Bearer ${"k".repeat(40)}` }), url, loopback)).toEqual({
      ok: true,
    });
    const query = new URL(`http://127.0.0.1:8080/mcp?apikey=${"k".repeat(40)}`);
    expect(authorizeRequest(request({}), query, loopback)).toEqual({ ok: true });
  });

  it("refuses everything when no key is set, unless the loopback opt-out is on", () => {
    const none: AuthPolicy = { ...loopback, apiKey: undefined };
    expect(authorizeRequest(request({}), url, none)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no "api_key".*allow_loopback_without_key/) as unknown,
    });
    expect(authorizeRequest(request({}), url, { ...none, allowLoopbackWithoutKey: true })).toEqual({
      ok: true,
    });
  });

  it("refuses a right key beside a wrong one, wherever each is", () => {
    const right = "k".repeat(40);
    const wrongQuery = new URL("http://127.0.0.1:8080/mcp?apikey=wrong");
    expect(authorizeRequest(request({ "x-api-key": right }), wrongQuery, loopback).ok).toBe(false);
    expect(
      authorizeRequest(request({ "x-api-key": "wrong", authorization: `Bearer ${right}` }), url, loopback).ok,
    ).toBe(false);
    expect(
      authorizeRequest(request({ "x-api-key": right, authorization: `Bearer ${right}` }), url, loopback).ok,
    ).toBe(true);
  });

  it("refuses an Authorization header of another scheme, even with the right key in it", () => {
    const right = "k".repeat(40);
    for (const authorization of [right, `Basic ${right}`, `Token ${right}`]) {
      expect(authorizeRequest(request({ authorization, "x-api-key": right }), url, loopback)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/must be "Bearer KEY"/) as unknown,
      });
    }
  });

  it("ignores the loopback opt-out on a non-loopback listener", () => {
    const network: AuthPolicy = { ...loopback, loopbackListener: false, allowLoopbackWithoutKey: true };
    expect(authorizeRequest(request({}), url, network).ok).toBe(false);
  });
});

describe("redactUrl", () => {
  it("replaces credential query values and user-info, keeping the rest", () => {
    expect(redactUrl("/api/v1/servers/x/restart?apikey=SECRET&tail=5")).toBe(
      "/api/v1/servers/x/restart?apikey=***&tail=5",
    );
    expect(redactUrl("/mcp?API_KEY=a&token=b&access_token=c")).toBe(
      "/mcp?API_KEY=***&token=***&access_token=***",
    );
    expect(redactUrl("https://user:pw@host.example:8443/p?key=z#f")).toBe(
      "https://***@host.example:8443/p?key=***#f",
    );
    expect(redactUrl("/api/v1/status")).toBe("/api/v1/status");
    expect(redactUrl("/x?apikey=a&apikey=b")).not.toMatch(/=a|=b/);
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
