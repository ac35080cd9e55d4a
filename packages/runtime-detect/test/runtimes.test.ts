import { DEFAULT_IMAGES } from "@mcpproxy/config";
import { describe, expect, it } from "vitest";
import {
  BUILTIN_IMAGES,
  COMMAND_ALIASES,
  COMMAND_RUNTIMES,
  RUNTIME_DEFAULT_IMAGES,
} from "../src/runtimes.ts";
import { SPEC_DEFAULT_IMAGES } from "./spec-tables.ts";

describe("built-in tables", () => {
  it("hold every spec default_images entry unchanged", () => {
    expect(Object.keys(SPEC_DEFAULT_IMAGES)).toHaveLength(19);
    for (const [command, image] of Object.entries(SPEC_DEFAULT_IMAGES)) {
      expect(BUILTIN_IMAGES[command], command).toBe(image);
    }
  });

  it("agree with @mcpproxy/config's DEFAULT_IMAGES, which fills every default_images map", () => {
    expect(DEFAULT_IMAGES).toEqual(SPEC_DEFAULT_IMAGES);
    for (const [command, image] of Object.entries(DEFAULT_IMAGES))
      expect(BUILTIN_IMAGES[command], command).toBe(image);
  });

  it("add only the named extra runtimes beyond the spec", () => {
    const extra = Object.keys(BUILTIN_IMAGES).filter((command) => !(command in SPEC_DEFAULT_IMAGES));
    expect(extra.sort()).toEqual(["bun", "bunx", "deno", "pnpm", "pnpx"]);
    expect(BUILTIN_IMAGES.pnpm).toBe("node:20");
    expect(BUILTIN_IMAGES.bunx).toBe("oven/bun:1");
    expect(BUILTIN_IMAGES.deno).toBe(RUNTIME_DEFAULT_IMAGES.deno);
  });

  it("map every alias onto a table command", () => {
    for (const [alias, target] of Object.entries(COMMAND_ALIASES)) {
      expect(Object.hasOwn(COMMAND_RUNTIMES, target), `${alias} → ${target}`).toBe(true);
      expect(Object.hasOwn(COMMAND_RUNTIMES, alias), alias).toBe(false);
    }
  });

  it("are frozen", () => {
    expect(Object.isFrozen(BUILTIN_IMAGES)).toBe(true);
    expect(Object.isFrozen(COMMAND_RUNTIMES)).toBe(true);
    expect(Object.isFrozen(RUNTIME_DEFAULT_IMAGES)).toBe(true);
  });
});
