import { describe, expect, it } from "vitest";
import {
  parseRunnerCommand,
  preparedHash,
  preparedTag,
  repositoryComponent,
  type PackageSpec,
} from "../src/index.ts";

const BASE = "sha256:3333333333333333333333333333333333333333333333333333333333333333";

function spec(command: string, args: string[]): PackageSpec {
  const result = parseRunnerCommand(command, args);
  if (!result.ok) throw new Error(result.reason.message);
  return result.spec;
}

describe("preparedHash / preparedTag", () => {
  const base = preparedHash({ baseImageId: BASE, spec: spec("npx", ["-y", "pkg@1"]) });

  it("is stable for the same inputs, and ignores the server's args and the runner's cosmetic flags", () => {
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(preparedHash({ baseImageId: BASE, spec: spec("npx", ["pkg@1", "--some", "arg"]) })).toBe(base);
    expect(preparedHash({ baseImageId: BASE, spec: spec("npm", ["exec", "--yes", "--", "pkg@1"]) })).toBe(
      base,
    );
  });

  it("changes with the base image, the package, its range, extra packages, the recipe and the registry", () => {
    const others = [
      preparedHash({ baseImageId: BASE.replace("3333", "4444"), spec: spec("npx", ["pkg@1"]) }),
      preparedHash({ baseImageId: BASE, spec: spec("npx", ["pkg@2"]) }),
      preparedHash({ baseImageId: BASE, spec: spec("npx", ["other@1"]) }),
      preparedHash({ baseImageId: BASE, spec: spec("npx", ["-p", "pkg@1", "-p", "x", "pkg"]) }),
      preparedHash({ baseImageId: BASE, spec: spec("bunx", ["pkg@1"]) }),
      preparedHash({
        baseImageId: BASE,
        spec: spec("npx", ["pkg@1"]),
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
