// The wrapper script is run by a real POSIX sh with stand-ins for uvx and
// python3 on PATH, so what is checked is what the container's shell would do.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeWrapper, launcherInstallExplanation, launcherOf, launcherWrapper } from "../src/index.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "prepare-wrapper-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function script(file: string, body: string): void {
  writeFileSync(path.join(dir, file), `#!/bin/sh\n${body}\n`);
  chmodSync(path.join(dir, file), 0o755);
}

// A uvx stand-in that prints its arguments one per line.
const UVX_ECHO = 'for a in "$@"; do printf "%s\\n" "$a"; done';

function run(args: string[]): { stdout: string } {
  const stdout = execFileSync("/bin/sh", args, {
    env: { PATH: `${dir}:/bin:/usr/bin` },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { stdout };
}

describe("launcherWrapper", () => {
  it("leaves commands that need no launcher alone", () => {
    expect(launcherWrapper("npx", ["x"], "node:20")).toBeUndefined();
    expect(launcherOf("C:\\tools\\uvx.exe")).toBe("uvx");
  });

  it("passes every argument through unchanged, however hostile", () => {
    script("uvx", UVX_ECHO);
    const hostile = [
      "mcp-server-x",
      "a b",
      "$(touch pwned)",
      "`id`",
      "'quoted'",
      '"dq"',
      "; exit 3",
      "*",
      "",
    ];
    const wrapper = launcherWrapper("/home/me/.local/bin/uvx", hostile, "python:3.11");
    expect(wrapper?.command).toBe("sh");
    expect(run((wrapper?.args ?? []).slice(0)).stdout).toBe(`${hostile.join("\n")}\n`);
    expect(() => readFileSync(path.join(process.cwd(), "pwned"))).toThrow();
  });

  it("installs the launcher with pip when it is missing, logging to stderr only", () => {
    // python3 stand-in: records the pip call and "installs" uvx.
    script("uvx.pending", UVX_ECHO);
    script(
      "python3",
      `printf "%s " "$@" > "${dir}/pip-call"; mv "${dir}/uvx.pending" "${dir}/uvx"; echo noise`,
    );
    const wrapper = launcherWrapper("uvx", ["mcp-server-fetch", "--x"], "python:3.11");
    const { stdout } = run(wrapper?.args ?? []);
    expect(stdout).toBe("mcp-server-fetch\n--x\n");
    expect(readFileSync(path.join(dir, "pip-call"), "utf8")).toMatch(/^-m pip install .*uv $/);
  });

  it("fails with 127 when the launcher cannot be installed", () => {
    script("python3", "exit 1");
    script("pip", "exit 1");
    const wrapper = launcherWrapper("pipx", ["run", "x"], "python:3.11");
    expect(() => run(wrapper?.args ?? [])).toThrow(expect.objectContaining({ status: 127 }) as Error);
  });

  it("explains for the doctor why this needs the network, and suggests prepare", () => {
    const text = launcherInstallExplanation("uvx", "python:3.11");
    expect(text).toMatch(/python:3\.11 has no uvx/);
    expect(text).toMatch(/pip install uv/);
    expect(text).toMatch(/"prepare": true/);
    const wrapper = launcherWrapper("uvx", ["a b"], "python:3.11");
    expect(wrapper && describeWrapper(wrapper)).toMatch(/^sh -c '.*' uvx 'a b'$/);
  });
});
