import { describe, expect, it } from "vitest";
import { parseRunnerCommand } from "../src/index.ts";
import { specOf } from "./helpers.ts";

function reason(command: string, args: string[]) {
  const result = parseRunnerCommand(command, args);
  if (result.ok) throw new Error(`expected a reason, got ${JSON.stringify(result.spec)}`);
  return result.reason;
}

describe("parseRunnerCommand: npm family", () => {
  it("npx -y @scope/pkg args", () => {
    expect(specOf("npx", ["-y", "@modelcontextprotocol/server-filesystem", "/data", "--ro"])).toEqual({
      ecosystem: "npm",
      runner: "npx",
      package: {
        name: "@modelcontextprotocol/server-filesystem",
        range: undefined,
        raw: "@modelcontextprotocol/server-filesystem",
      },
      extra: [],
      bin: undefined,
      args: ["/data", "--ro"],
    });
  });

  it("keeps the version range and treats args after the package as the server's, flags included", () => {
    const parsed = specOf("/usr/local/bin/npx.cmd", ["--yes", "@scope/pkg@^1.2.0", "-y", "--port", "1"]);
    expect(parsed.package).toMatchObject({ name: "@scope/pkg", range: "^1.2.0" });
    expect(parsed.args).toEqual(["-y", "--port", "1"]);
  });

  it("npx -p a -p b cmd: extra packages and an explicit command", () => {
    const parsed = specOf("npx", ["-y", "-p", "a@1", "--package=b", "serve-it", "--x"]);
    expect(parsed.package).toMatchObject({ name: "a", range: "1" });
    expect(parsed.extra).toEqual([{ name: "b", range: undefined, raw: "b" }]);
    expect(parsed.bin).toBe("serve-it");
    expect(parsed.args).toEqual(["--x"]);
  });

  it.each([
    ["npm", ["exec", "-y", "--", "pkg@2", "a"], "npm exec"],
    ["npm", ["x", "--yes", "pkg@2", "a"], "npm exec"],
    ["pnpm", ["dlx", "pkg@2", "a"], "pnpm dlx"],
    ["pnpx", ["pkg@2", "a"], "pnpm dlx"],
    ["yarn", ["dlx", "-q", "pkg@2", "a"], "yarn dlx"],
    ["bunx", ["--bun", "pkg@2", "a"], "bunx"],
    ["bun", ["x", "pkg@2", "a"], "bunx"],
  ] as const)("%s %j → %s", (command, args, runner) => {
    const parsed = specOf(command, [...args]);
    expect(parsed.runner).toBe(runner);
    expect(parsed.package).toMatchObject({ name: "pkg", range: "2" });
    expect(parsed.args).toEqual(["a"]);
  });

  it.each([
    [["./local-server"], "NOT_A_REGISTRY_PACKAGE"],
    [["github:user/repo"], "NOT_A_REGISTRY_PACKAGE"],
    [["user/repo"], "NOT_A_REGISTRY_PACKAGE"],
    [["pkg@file:../x"], "NOT_A_REGISTRY_PACKAGE"],
    [["https://example.invalid/x.tgz"], "NOT_A_REGISTRY_PACKAGE"],
    [["-c", "echo hi"], "UNSUPPORTED_FORM"],
    [["--registry=https://r.example", "pkg"], "UNSUPPORTED_FORM"],
    [["--frobnicate", "pkg"], "UNSUPPORTED_FORM"],
    [["-y"], "MISSING_PACKAGE"],
    [["-p"], "MISSING_PACKAGE"],
  ] as const)("npx %j → %s, and the server runs as configured", (args, code) => {
    const why = reason("npx", [...args]);
    expect(why.code).toBe(code);
    expect(why.message).toMatch(/runs as configured$/);
  });
});

describe("parseRunnerCommand: Python", () => {
  it("uvx pkg args", () => {
    expect(specOf("uvx", ["mcp-server-fetch", "--ignore-robots-txt"])).toEqual({
      ecosystem: "python",
      runner: "uvx",
      package: { name: "mcp-server-fetch", range: undefined, raw: "mcp-server-fetch" },
      extra: [],
      bin: undefined,
      args: ["--ignore-robots-txt"],
      python: undefined,
    });
  });

  it("uvx --from pkg==1 --with x --python 3.12 cmd", () => {
    const parsed = specOf("uvx", [
      "--from",
      "mcp-server-git==1.0",
      "--with=gitpython",
      "--python",
      "3.12",
      "mcp-server-git",
      "-r",
      "/repo",
    ]);
    expect(parsed.package).toMatchObject({ name: "mcp-server-git", range: "==1.0" });
    expect(parsed.extra.map((ref) => ref.name)).toEqual(["gitpython"]);
    expect(parsed).toMatchObject({ bin: "mcp-server-git", python: "3.12", args: ["-r", "/repo"] });
  });

  it("uv's pkg@version, extras and ranges", () => {
    expect(specOf("uvx", ["pkg@1.2.3"]).package).toMatchObject({ name: "pkg", range: "==1.2.3" });
    expect(specOf("uvx", ["pkg[cli]>=1,<2"]).package).toMatchObject({
      name: "pkg",
      range: ">=1,<2",
      extras: "[cli]",
    });
    expect(specOf("uv", ["tool", "run", "pkg@latest", "a"]).package).toMatchObject({
      name: "pkg",
      range: undefined,
    });
    expect(specOf("uv", ["tool", "run", "pkg"]).runner).toBe("uv tool run");
  });

  it("pipx run [--spec]", () => {
    expect(specOf("pipx", ["run", "mcp-server-time", "--local-timezone", "UTC"])).toMatchObject({
      runner: "pipx run",
      package: { name: "mcp-server-time" },
      args: ["--local-timezone", "UTC"],
    });
    expect(specOf("pipx", ["run", "--spec", "mcp-server-time==0.6", "mcp-server-time"])).toMatchObject({
      package: { name: "mcp-server-time", range: "==0.6" },
      bin: "mcp-server-time",
    });
  });

  it("a pip-installed entry point started by a plain shell script", () => {
    expect(
      specOf("sh", ["-c", "pip install --quiet 'mcp-server-x==2.0' && exec mcp-server-x --flag \"a b\""]),
    ).toMatchObject({
      runner: "pip install",
      ecosystem: "python",
      package: { name: "mcp-server-x", range: "==2.0" },
      bin: "mcp-server-x",
      args: ["--flag", "a b"],
    });
    expect(specOf("bash", ["-c", "python3 -m pip install a b && a"])).toMatchObject({
      package: { name: "a" },
      extra: [{ name: "b" }],
    });
  });

  it.each([
    ["uvx", ["git+https://github.com/x/y"], "NOT_A_REGISTRY_PACKAGE"],
    ["uvx", ["--index-url", "https://x", "pkg"], "UNSUPPORTED_FORM"],
    ["uvx", [], "MISSING_PACKAGE"],
    ["uv", ["run", "server.py"], "UNSUPPORTED_FORM"],
    ["pipx", ["install", "x"], "UNSUPPORTED_FORM"],
    ["sh", ["-c", "pip install x | tee log && x"], "UNSUPPORTED_FORM"],
    ["sh", ["-c", "pip install $PKG && x"], "UNSUPPORTED_FORM"],
    ["sh", ["-c", "pip install x; x"], "UNSUPPORTED_FORM"],
    ["sh", ["-c", "pip install -e . && x"], "UNSUPPORTED_FORM"],
    ["node", ["server.js"], "NOT_A_RUNNER"],
    ["python", ["-m", "mcp_server"], "NOT_A_RUNNER"],
  ] as const)("%s %j → %s", (command, args, code) => {
    expect(reason(command, [...args]).code).toBe(code);
  });
});
