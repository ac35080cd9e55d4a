import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  configWith,
  createTempDir,
  serverOf,
  testInstanceId,
  textOf,
  uniqueName,
  waitFor,
} from "../src/index.ts";

describe("configWith / serverOf", () => {
  it("turns isolation on, applies overrides and fills server defaults", () => {
    const config = configWith([{ name: "a", command: "npx" }], { memory_limit: "64m" });
    expect(config.docker_isolation.enabled).toBe(true);
    expect(config.docker_isolation.memory_limit).toBe("64m");
    expect(serverOf(config, "a")).toMatchObject({
      name: "a",
      command: "npx",
      args: [],
      env: {},
      enabled: true,
    });
  });

  it("names the missing server", () => {
    expect(() => serverOf(configWith([]), "nope")).toThrow("no server nope");
  });
});

describe("testInstanceId", () => {
  it("differs per call", () => {
    expect(testInstanceId()).not.toBe(testInstanceId());
  });
});

describe("waitFor", () => {
  it("returns the first truthy probe value, retrying through false and throws", async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls === 1) throw new Error("not yet");
        return calls < 3 ? false : `done after ${calls}`;
      },
      "three calls",
      5_000,
      1,
    );
    expect(value).toBe("done after 3");
  });

  it("times out naming what it waited for and the last error", async () => {
    await expect(
      waitFor(
        () => {
          throw new Error("engine down");
        },
        "the engine",
        20,
        5,
      ),
    ).rejects.toThrow(/waiting for the engine: engine down/);
  });
});

describe("createTempDir", () => {
  it("creates a directory and removes it on cleanup", async () => {
    const dir = await createTempDir("mcpproxy-helpers-test");
    expect(existsSync(dir.path)).toBe(true);
    await dir.cleanup();
    expect(existsSync(dir.path)).toBe(false);
    await dir.cleanup();
  });
});

describe("uniqueName / textOf", () => {
  it("suffixes the prefix with fresh hex digits", () => {
    expect(uniqueName("srv")).toMatch(/^srv-[0-9a-f]{6}$/);
    expect(uniqueName("srv")).not.toBe(uniqueName("srv"));
  });

  it("joins the text parts of a tool result, skipping the others", () => {
    const result = {
      content: [
        { type: "text", text: "a" },
        { type: "image", data: "", mimeType: "image/png" },
        { type: "text", text: "b" },
      ],
    };
    expect(textOf(result)).toBe("a\nb");
  });
});
