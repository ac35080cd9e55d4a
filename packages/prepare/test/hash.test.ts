import { describe, expect, it } from "vitest";
import { preparedHash, preparedTag, repositoryComponent } from "../src/index.ts";
import { specOf } from "./helpers.ts";

const BASE = "sha256:3333333333333333333333333333333333333333333333333333333333333333";

describe("preparedHash / preparedTag", () => {
  const base = preparedHash({ baseImageId: BASE, spec: specOf("npx", ["-y", "pkg@1"]) });

  it("is stable for the same inputs, and ignores the server's args and the runner's cosmetic flags", () => {
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(preparedHash({ baseImageId: BASE, spec: specOf("npx", ["pkg@1", "--some", "arg"]) })).toBe(base);
    expect(preparedHash({ baseImageId: BASE, spec: specOf("npm", ["exec", "--yes", "--", "pkg@1"]) })).toBe(
      base,
    );
  });

  it("changes with the base image, the package, its range, extra packages, the recipe and the registry", () => {
    const others = [
      preparedHash({ baseImageId: BASE.replace("3333", "4444"), spec: specOf("npx", ["pkg@1"]) }),
      preparedHash({ baseImageId: BASE, spec: specOf("npx", ["pkg@2"]) }),
      preparedHash({ baseImageId: BASE, spec: specOf("npx", ["other@1"]) }),
      preparedHash({ baseImageId: BASE, spec: specOf("npx", ["-p", "pkg@1", "-p", "x", "pkg"]) }),
      preparedHash({ baseImageId: BASE, spec: specOf("bunx", ["pkg@1"]) }),
      preparedHash({
        baseImageId: BASE,
        spec: specOf("npx", ["pkg@1"]),
        registry: "https://registry.example/",
      }),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it("tags mcpproxy-prepared/<server>:<hash> with a server name Docker accepts", () => {
    expect(preparedTag("memory", base)).toBe(`mcpproxy-prepared/memory:${base}`);
    expect(repositoryComponent("My_Server..v2")).toBe("my_server-v2");
    expect(repositoryComponent("-a--b-")).toBe("a-b");
    expect(() => repositoryComponent("...")).toThrow(/no character usable in an image name/);
  });
});
