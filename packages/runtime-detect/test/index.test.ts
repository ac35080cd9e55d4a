import { describe, expect, it } from "vitest";
import * as api from "../src/index.ts";

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([
      "BUILTIN_IMAGES",
      "COMMAND_ALIASES",
      "COMMAND_RUNTIMES",
      "DOCKER_HUB_REGISTRIES",
      "RUNTIME_DEFAULT_IMAGES",
      "RuntimeDetectError",
      "detectRuntime",
      "isContainerRuntimeCommand",
      "normalizeRegistry",
      "parseImageReference",
      "qualifyImage",
      "resolveImage",
    ]);
  });

  it.each([
    "docker",
    "/usr/bin/docker",
    "docker.exe",
    "C:\\Program Files\\Docker\\docker.EXE",
    "podman",
    "nerdctl",
  ])("isContainerRuntimeCommand(%j) is true (spec: Docker-in-Docker prevention)", (command) => {
    expect(api.isContainerRuntimeCommand(command)).toBe(true);
  });

  it.each(["uvx", "npx", "docker-compose", "dockerize", "python"])(
    "isContainerRuntimeCommand(%j) is false",
    (command) => {
      expect(api.isContainerRuntimeCommand(command)).toBe(false);
    },
  );

  it("RuntimeDetectError carries code, value and cause", () => {
    const cause = new Error("inner");
    const error = new api.RuntimeDetectError("INVALID_IMAGE", "x y", "bad", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "RuntimeDetectError", code: "INVALID_IMAGE", value: "x y", cause });
  });
});
