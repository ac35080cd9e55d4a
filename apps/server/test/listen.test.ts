import { describe, expect, it } from "vitest";
import { ProxyError } from "../src/errors.ts";
import { assertListenAllowed, formatHttpUrl, isLoopbackHost, parseListen } from "../src/listen.ts";

describe("parseListen", () => {
  it("parses host:port, [v6]:port and a bare :port (all interfaces)", () => {
    expect(parseListen("127.0.0.1:8080")).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(parseListen("localhost:0")).toEqual({ host: "localhost", port: 0 });
    expect(parseListen("[::1]:9000")).toEqual({ host: "::1", port: 9000 });
    expect(parseListen(":8080")).toEqual({ host: "0.0.0.0", port: 8080 });
  });

  it("rejects what is not host:port with LISTEN_INVALID", () => {
    for (const bad of ["8080", "127.0.0.1", "127.0.0.1:99999", "::1:80", "[localhost]:80", "host:port"]) {
      expect(() => parseListen(bad), bad).toThrow(expect.objectContaining({ code: "LISTEN_INVALID" }));
    }
  });
});

describe("loopback rule", () => {
  it("knows loopback names", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "192.168.1.10", "::", "example.com", "128.0.0.1"]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it("refuses a non-loopback listen without an api_key of 32+ characters, allows it with one", () => {
    let caught: unknown;
    try {
      assertListenAllowed({ host: "0.0.0.0", port: 8080 }, undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProxyError);
    expect((caught as ProxyError).code).toBe("INSECURE_LISTEN");
    expect(() => assertListenAllowed({ host: "0.0.0.0", port: 8080 }, "")).toThrow(/api_key/);
    expect(() => assertListenAllowed({ host: "0.0.0.0", port: 8080 }, "k".repeat(31))).toThrow(
      /31 characters.*at least 32/,
    );
    expect(() => assertListenAllowed({ host: "0.0.0.0", port: 8080 }, "k".repeat(32))).not.toThrow();
    expect(() => assertListenAllowed({ host: "127.0.0.1", port: 8080 }, undefined)).not.toThrow();
  });

  it("formats URLs with IPv6 brackets", () => {
    expect(formatHttpUrl("127.0.0.1", 80)).toBe("http://127.0.0.1:80");
    expect(formatHttpUrl("::1", 80)).toBe("http://[::1]:80");
  });
});
