import { describe, expect, test } from "vitest";
import { approveDefinitions, SecurityStore, type Fingerprint } from "../../src/index.ts";
import { useTempDirs } from "./temp-dir.ts";

const tempDir = useTempDirs();

// getServer answers from memory (it runs on every tool call); every write path must show at once.
describe("trust records read from memory", () => {
  test("each of the store's own writes is seen by the next read", () => {
    const store = SecurityStore.open({ stateDir: tempDir() });
    try {
      expect(store.getServer("s")).toBeUndefined();
      store.ensureServer("s", "quarantined", "rest", "new");
      expect(store.getServer("s")).toMatchObject({ trust: "quarantined", reason: "new" });
      store.setTrust("s", "trusted", "cli");
      expect(store.getServer("s")).toMatchObject({ trust: "trusted", changedBy: "cli" });
      expect(store.getServer("s")?.pinnedAt).toBeUndefined();
      store.recordBaseline("s", approveDefinitions("tool", [{ name: "t" }]), {
        by: "ui",
        trust: "quarantined",
      });
      expect(store.getServer("s")).toMatchObject({
        trust: "quarantined",
        pinnedAt: expect.any(String) as string,
      });
      store.forgetServer("s");
      expect(store.getServer("s")).toBeUndefined();
    } finally {
      store.close();
    }
  });

  test("a write rolled back leaves no trace in memory", () => {
    const store = SecurityStore.open({ stateDir: tempDir() });
    try {
      expect(store.getServer("s")).toBeUndefined();
      const bad = { kind: "widget", key: "k", hash: "h", canonical: "{}" } as unknown as Fingerprint;
      expect(() => store.recordBaseline("s", [bad], { by: "test" })).toThrow(/CHECK constraint/);
      expect(store.getServer("s")).toBeUndefined();
    } finally {
      store.close();
    }
  });

  test("another connection's writes (a second process) are seen by the next read", () => {
    const stateDir = tempDir();
    const proxy = SecurityStore.open({ stateDir });
    const cli = SecurityStore.open({ stateDir });
    try {
      proxy.ensureServer("s", "trusted", "config");
      expect(proxy.getServer("s")?.trust).toBe("trusted");
      cli.setTrust("s", "quarantined", "cli", "looks odd");
      expect(proxy.getServer("s")).toMatchObject({ trust: "quarantined", reason: "looks odd" });
      cli.forgetServer("s");
      expect(proxy.getServer("s")).toBeUndefined();
    } finally {
      proxy.close();
      cli.close();
    }
  });

  test("a record handed out cannot change what the next caller reads", () => {
    const store = SecurityStore.open({ stateDir: tempDir() });
    try {
      store.ensureServer("s", "quarantined", "rest");
      const record = store.getServer("s");
      expect(() => Object.assign(record ?? {}, { trust: "trusted" })).toThrow(TypeError);
      expect(store.getServer("s")?.trust).toBe("quarantined");
    } finally {
      store.close();
    }
  });
});
