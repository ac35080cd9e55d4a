import { describe, expect, it } from "vitest";
import { detectRuntime, type MatchedBy } from "../src/detect.ts";
import type { RuntimeName } from "../src/runtimes.ts";
import { SPEC_DEFAULT_IMAGES } from "./spec-tables.ts";

describe("detectRuntime: every row of the spec's mapping", () => {
  it.each<[string, RuntimeName, string]>([
    ["python", "python", "python:3.11"],
    ["python3", "python", "python:3.11"],
    ["uvx", "python", "python:3.11"],
    ["pip", "python", "python:3.11"],
    ["pipx", "python", "python:3.11"],
    ["node", "node", "node:20"],
    ["npm", "node", "node:20"],
    ["npx", "node", "node:20"],
    ["yarn", "node", "node:20"],
    ["go", "go", "golang:1.21-alpine"],
    ["cargo", "rust", "rust:1.75-slim"],
    ["rustc", "rust", "rust:1.75-slim"],
    ["ruby", "ruby", "ruby:3.2-alpine"],
    ["gem", "ruby", "ruby:3.2-alpine"],
    ["php", "php", "php:8.2-cli-alpine"],
    ["composer", "php", "php:8.2-cli-alpine"],
    ["sh", "binary", "alpine:3.18"],
    ["bash", "binary", "alpine:3.18"],
    ["binary", "binary", "alpine:3.18"],
  ])("%s → %s, %s (built-in table, and the spec's default_images map)", (command, runtime, image) => {
    const builtIn = detectRuntime(command);
    expect(builtIn).toMatchObject({ runtime, image, matchedBy: "exact", commandName: command, key: command });
    expect(detectRuntime(command, SPEC_DEFAULT_IMAGES)).toMatchObject({ runtime, image });
  });

  it("unknown commands → the binary image", () => {
    expect(detectRuntime("mcp-server-fetch")).toEqual({
      runtime: "binary",
      image: "alpine:3.18",
      matchedBy: "fallback",
      commandName: "mcp-server-fetch",
      key: "binary",
      imageSource: "binary",
    });
  });
});

describe("detectRuntime: what people really write", () => {
  it.each<[string, RuntimeName, MatchedBy, string]>([
    ["/usr/local/bin/python3", "python", "exact", "python3"],
    ["./venv/bin/python", "python", "exact", "python"],
    ["../tools/node", "node", "exact", "node"],
    ["npx.cmd", "node", "exact", "npx"],
    ["python.exe", "python", "exact", "python"],
    ["C:\\Program Files\\nodejs\\npx.cmd", "node", "exact", "npx"],
    ["C:\\Python312\\Python.EXE", "python", "exact", "python"],
    ["NODE", "node", "exact", "node"],
    ["  uvx  ", "python", "exact", "uvx"],
    ["python3.12", "python", "versioned", "python3"],
    ["/opt/homebrew/bin/python3.12", "python", "versioned", "python3"],
    ["python3.12.exe", "python", "versioned", "python3"],
    ["python2", "python", "versioned", "python"],
    ["pip3", "python", "versioned", "pip"],
    ["pip3.11", "python", "versioned", "pip"],
    ["node22", "node", "versioned", "node"],
    ["node-20", "node", "versioned", "node"],
    ["go1.21.0", "go", "versioned", "go"],
    ["ruby3.2", "ruby", "versioned", "ruby"],
    ["php8.2", "php", "versioned", "php"],
    ["rustc-1.75", "rust", "versioned", "rustc"],
    ["pnpm", "node", "exact", "pnpm"],
    ["pnpx", "node", "exact", "pnpx"],
    ["pnpm.cmd", "node", "exact", "pnpm"],
    ["bun", "bun", "exact", "bun"],
    ["bunx", "bun", "exact", "bunx"],
    ["/home/me/.bun/bin/bun", "bun", "exact", "bun"],
    ["deno", "deno", "exact", "deno"],
    ["deno.exe", "deno", "exact", "deno"],
    ["py", "python", "alias", "python"],
    ["py.exe", "python", "alias", "python"],
    ["pythonw", "python", "alias", "python"],
    ["uv", "python", "alias", "uvx"],
    ["nodejs", "node", "alias", "node"],
    ["yarnpkg", "node", "alias", "yarn"],
    ["nodejs18", "node", "versioned", "node"],
  ])("%s → %s (%s via %s)", (command, runtime, matchedBy, key) => {
    expect(detectRuntime(command)).toMatchObject({ runtime, matchedBy, key });
  });

  it.each([
    "python-server",
    "pythonic",
    "nodemon",
    "node-red",
    "gopls",
    "golang",
    "npm-run-all",
    "python3.x",
    "shx",
    "zsh",
    "mcp-server-sqlite",
    "",
    "   ",
  ])("%j is not a known runtime → binary fallback", (command) => {
    expect(detectRuntime(command)).toMatchObject({
      runtime: "binary",
      matchedBy: "fallback",
      image: "alpine:3.18",
    });
  });

  it("names the images of the extra runtimes", () => {
    expect(detectRuntime("pnpm").image).toBe("node:20");
    expect(detectRuntime("bunx").image).toBe("oven/bun:1");
    expect(detectRuntime("deno").image).toBe("denoland/deno:2.1.4");
  });
});

describe("detectRuntime: default_images", () => {
  it("the command's own entry wins over the runtime default", () => {
    const detected = detectRuntime("uvx", { uvx: "python:3.12-slim", python: "python:3.10" });
    expect(detected).toMatchObject({ image: "python:3.12-slim", imageSource: "default_images" });
  });

  it("a versioned name uses its exact entry first, then its table key", () => {
    expect(detectRuntime("python3.12", { "python3.12": "python:3.12", python3: "python:3.11" }).image).toBe(
      "python:3.12",
    );
    expect(detectRuntime("python3.12", { python3: "python:3.11" }).image).toBe("python:3.11");
    expect(detectRuntime("py", { python: "my/python:1" })).toMatchObject({
      image: "my/python:1",
      imageSource: "default_images",
    });
  });

  it("an unknown command may have its own entry", () => {
    expect(
      detectRuntime("/opt/bin/my-server", { "my-server": "my/server:2", binary: "busybox" }),
    ).toMatchObject({
      runtime: "binary",
      image: "my/server:2",
      imageSource: "default_images",
    });
  });

  it("falls back to default_images.binary for unknown commands and shells", () => {
    expect(detectRuntime("my-tool", { binary: "debian:12" })).toMatchObject({
      image: "debian:12",
      imageSource: "binary",
    });
    expect(detectRuntime("bash", { binary: "debian:12" }).image).toBe("debian:12");
    expect(detectRuntime("bash", { bash: "bash:5", binary: "debian:12" }).image).toBe("bash:5");
  });

  it("uses the runtime default when the map has no entry", () => {
    expect(detectRuntime("bun", { binary: "debian:12" })).toMatchObject({
      image: "oven/bun:1",
      imageSource: "runtime-default",
    });
  });

  it("ignores inherited properties and empty entries", () => {
    for (const command of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(detectRuntime(command, {})).toMatchObject({ image: "alpine:3.18", matchedBy: "fallback" });
    }
    expect(detectRuntime("node", { node: "  " }).image).toBe("node:20");
  });
});
