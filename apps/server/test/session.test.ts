// Dashboard sessions (pure): opaque ids, bound to the key they were opened
// with, expiring, bounded in number; CSRF comparison.
import { describe, expect, it } from "vitest";
import { createSessionStore, csrfMatches, SESSION_TTL_MS } from "../src/rest/session.ts";

describe("session store", () => {
  it("finds a session by its id while the same key is in force", () => {
    const store = createSessionStore();
    const { id, csrf } = store.open("key-1");
    expect(id).not.toContain("key-1");
    expect(store.find(id, "key-1")).toEqual({ csrf });
    expect(store.find("other", "key-1")).toBeUndefined();
    expect(store.find(undefined, "key-1")).toBeUndefined();
  });

  it("ends a session when the key changes, when it expires, and on close", () => {
    let now = 1_000;
    const store = createSessionStore(() => now);
    const a = store.open("key-1");
    expect(store.find(a.id, "key-2")).toBeUndefined();
    expect(store.find(a.id, "key-1")).toBeUndefined();
    const b = store.open("key-1");
    now += SESSION_TTL_MS + 1;
    expect(store.find(b.id, "key-1")).toBeUndefined();
    const c = store.open("key-1");
    store.close(c.id);
    expect(store.find(c.id, "key-1")).toBeUndefined();
  });

  it("keeps at most 256 sessions, dropping the oldest", () => {
    const store = createSessionStore();
    const first = store.open("k");
    const rest = Array.from({ length: 256 }, () => store.open("k"));
    expect(store.find(first.id, "k")).toBeUndefined();
    expect(store.find(rest.at(-1)?.id, "k")).toBeDefined();
  });

  it("compares CSRF tokens exactly", () => {
    expect(csrfMatches("abc", "abc")).toBe(true);
    expect(csrfMatches("abc", "abd")).toBe(false);
    expect(csrfMatches("abc", "abcd")).toBe(false);
    expect(csrfMatches("abc", undefined)).toBe(false);
  });
});
