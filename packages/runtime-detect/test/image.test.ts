import { describe, expect, it } from "vitest";
import { RuntimeDetectError } from "../src/errors.ts";
import { normalizeRegistry, parseImageReference, qualifyImage, resolveImage } from "../src/image.ts";
import { SPEC_DEFAULT_IMAGES } from "./spec-tables.ts";

function thrown(fn: () => unknown): RuntimeDetectError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuntimeDetectError) return error;
    throw error;
  }
  throw new Error("expected a RuntimeDetectError");
}

describe("parseImageReference", () => {
  it.each([
    ["python:3.11", { path: "python", tag: "3.11" }],
    ["alpine", { path: "alpine" }],
    ["mcp/fetch:latest", { path: "mcp/fetch", tag: "latest" }],
    ["ghcr.io/org/img:1.0", { domain: "ghcr.io", path: "org/img", tag: "1.0" }],
    ["localhost:5000/img", { domain: "localhost:5000", path: "img" }],
    ["localhost/img:dev", { domain: "localhost", path: "img", tag: "dev" }],
    ["localhost:5000", { path: "localhost", tag: "5000" }],
    ["Registry.Example.com/a/b", { domain: "Registry.Example.com", path: "a/b" }],
    [`python@sha256:${"a".repeat(64)}`, { path: "python", digest: `sha256:${"a".repeat(64)}` }],
    ["my_custom-python.v2:latest", { path: "my_custom-python.v2", tag: "latest" }],
  ])("%s", (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });

  it.each([
    ["", "empty"],
    ["--privileged", "flag"],
    ["-v", "flag"],
    ["python 3.11", "whitespace"],
    ["python:3.11\n--privileged", "newline"],
    ["Python:3.11", "uppercase repository"],
    ["python:", "empty tag"],
    ["python:-bad", "tag starting with -"],
    ["python@sha256:zz", "bad digest"],
    ["bad_host_/img", "bad component"],
    ["a//b", "empty component"],
    ["$(id)", "shell"],
    ["`id`", "backtick"],
    ["img;rm -rf /", "semicolon"],
    [`${"a".repeat(256)}:1`, "too long"],
  ])("rejects %j (%s)", (image) => {
    const error = thrown(() => parseImageReference(image));
    expect(error.code).toBe("INVALID_IMAGE");
    expect(error.value).toBe(image);
  });
});

describe("normalizeRegistry", () => {
  it.each([
    ["docker.io", "docker.io"],
    [" registry.example.com/ ", "registry.example.com"],
    ["https://mirror.example.com:5000", "mirror.example.com:5000"],
    ["harbor.example.com/dockerhub-proxy", "harbor.example.com/dockerhub-proxy"],
    ["", ""],
  ])("%j → %j", (registry, expected) => {
    expect(normalizeRegistry(registry)).toBe(expected);
  });

  it.each([
    "--registry",
    "reg istry.example.com",
    "exa mple",
    "host/UPPER",
    "host:port",
    "host/a//b",
    "ftp://x/$",
  ])("rejects %j", (registry) => {
    const error = thrown(() => normalizeRegistry(registry));
    expect(error.code).toBe("INVALID_REGISTRY");
    expect(error.value).toBe(registry);
  });
});

describe("qualifyImage", () => {
  it.each([
    // Docker Hub: never changed.
    ["python:3.11", "docker.io", "python:3.11"],
    ["python:3.11", "DOCKER.IO", "python:3.11"],
    ["python:3.11", "index.docker.io", "python:3.11"],
    ["python:3.11", "registry-1.docker.io", "python:3.11"],
    ["python:3.11", "", "python:3.11"],
    // Another registry stands in for docker.io: official images get library/.
    ["python:3.11", "mirror.example.com", "mirror.example.com/library/python:3.11"],
    ["alpine:3.18", "mirror.example.com:5000", "mirror.example.com:5000/library/alpine:3.18"],
    ["node", "https://mirror.example.com/", "mirror.example.com/library/node"],
    ["mcp/fetch:1", "mirror.example.com", "mirror.example.com/mcp/fetch:1"],
    ["python:3.11", "harbor.example.com/hub", "harbor.example.com/hub/library/python:3.11"],
    [`python@sha256:${"b".repeat(64)}`, "m.example", `m.example/library/python@sha256:${"b".repeat(64)}`],
    // Images that already name a host keep it.
    ["ghcr.io/org/img:1", "mirror.example.com", "ghcr.io/org/img:1"],
    ["localhost/my-image:dev", "mirror.example.com", "localhost/my-image:dev"],
    ["localhost:5000/img", "mirror.example.com", "localhost:5000/img"],
    ["docker.io/library/python:3.11", "mirror.example.com", "docker.io/library/python:3.11"],
  ])("%s under %j → %s", (image, registry, expected) => {
    expect(qualifyImage(image, registry)).toBe(expected);
  });

  it("validates the image even for Docker Hub", () => {
    expect(thrown(() => qualifyImage("--rm", "docker.io")).code).toBe("INVALID_IMAGE");
    expect(thrown(() => qualifyImage("python", "bad registry")).code).toBe("INVALID_REGISTRY");
  });
});

describe("resolveImage: precedence", () => {
  const defaults = { ...SPEC_DEFAULT_IMAGES };

  it("1. the server's isolation.image (spec: custom-python-server)", () => {
    expect(
      resolveImage("python", {
        image: "my-custom-python:latest",
        default_images: defaults,
        registry: "docker.io",
      }),
    ).toEqual({
      image: "my-custom-python:latest",
      runtime: "python",
      source: "server",
      matchedBy: "exact",
      commandName: "python",
    });
  });

  it("1. the server's image from the guide (python:3.12-slim for uvx)", () => {
    const resolved = resolveImage("uvx", {
      image: "python:3.12-slim",
      default_images: defaults,
      registry: "docker.io",
    });
    expect(resolved).toMatchObject({ image: "python:3.12-slim", source: "server", runtime: "python" });
  });

  it("2. default_images[command name]", () => {
    const resolved = resolveImage("npx", {
      default_images: { ...defaults, npx: "node:22" },
      registry: "docker.io",
    });
    expect(resolved).toMatchObject({ image: "node:22", source: "default_images", runtime: "node" });
  });

  it("2. the guide's default_images map (uvx, npx, python, node)", () => {
    const guideMap = { uvx: "python:3.11", npx: "node:20", python: "python:3.11", node: "node:20" };
    expect(resolveImage("uvx", { default_images: guideMap, registry: "docker.io" }).image).toBe(
      "python:3.11",
    );
    expect(resolveImage("npx", { default_images: guideMap, registry: "docker.io" }).image).toBe("node:20");
  });

  it("3. the runtime's default", () => {
    const resolved = resolveImage("deno", { default_images: defaults, registry: "docker.io" });
    expect(resolved).toMatchObject({
      image: "denoland/deno:2.1.4",
      source: "runtime-default",
      runtime: "deno",
    });
  });

  it("4. default_images.binary", () => {
    const resolved = resolveImage("./my-server", {
      default_images: { ...defaults, binary: "debian:12" },
      registry: "docker.io",
    });
    expect(resolved).toMatchObject({ image: "debian:12", source: "binary", runtime: "binary" });
  });

  it("applies the registry to every source", () => {
    const settings = { default_images: defaults, registry: "mirror.example.com" };
    expect(resolveImage("uvx", settings).image).toBe("mirror.example.com/library/python:3.11");
    expect(resolveImage("bunx", settings).image).toBe("mirror.example.com/oven/bun:1");
    expect(resolveImage("uvx", { ...settings, image: "my-python:1" }).image).toBe(
      "mirror.example.com/library/my-python:1",
    );
    expect(resolveImage("uvx", { ...settings, image: "localhost/my-python:1" }).image).toBe(
      "localhost/my-python:1",
    );
  });

  it("rejects an invalid chosen image, whatever its source", () => {
    expect(
      thrown(() => resolveImage("uvx", { image: "", default_images: defaults, registry: "docker.io" })).code,
    ).toBe("INVALID_IMAGE");
    expect(
      thrown(() => resolveImage("uvx", { default_images: { uvx: "--privileged" }, registry: "docker.io" }))
        .value,
    ).toBe("--privileged");
  });
});
