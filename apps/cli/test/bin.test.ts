import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, runCli, runCliInTty, type Sandbox } from "./run-cli.ts";

const COMMANDS = [
  [],
  ["serve"],
  ["doctor"],
  ["isolation"],
  ["isolation", "show"],
  ["servers"],
  ["servers", "list"],
  ["servers", "logs"],
  ["servers", "restart"],
  ["servers", "add"],
  ["servers", "remove"],
  ["servers", "enable"],
  ["servers", "disable"],
  ["containers"],
  ["containers", "list"],
  ["containers", "cleanup"],
  ["images"],
  ["images", "pull"],
  ["config"],
  ["config", "path"],
  ["config", "validate"],
  ["config", "init"],
  ["config", "schema"],
];

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(async () => {
  await sandbox.cleanup();
});

describe("mcpproxy --help", () => {
  it.each(COMMANDS.map((args) => [args.join(" ") || "(root)", args]))(
    "%s --help shows usage and an example, exit 0",
    async (_label, args) => {
      const result = await runCli(sandbox, [...args, "--help"]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^Usage: mcpproxy/m);
      expect(result.stdout).toMatch(/^Examples?:\n {2}\$ mcpproxy /m);
      expect(result.stdout).not.toMatch(ANSI);
    },
  );
});

describe("usage errors", () => {
  it("an unknown command exits 2 with a hint", async () => {
    const result = await runCli(sandbox, ["frobnicate"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).toContain("--help");
  });

  it("a missing argument exits 2", async () => {
    const result = await runCli(sandbox, ["isolation", "show"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("missing required argument 'server'");
  });

  it("--log-level accepts only error|warn|info|debug", async () => {
    const result = await runCli(sandbox, ["--log-level", "loud", "config", "path"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Allowed choices are error, warn, info, debug");
  });

  it("no command prints the help on stderr and exits 2", async () => {
    const result = await runCli(sandbox, []);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Usage: mcpproxy");
  });

  it("--version prints the package version", async () => {
    const result = await runCli(sandbox, ["--version"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("error reporting", () => {
  it("prints one sentence and the fix, and a stack only with --log-level=debug", async () => {
    const plain = await runCli(sandbox, ["isolation", "show", "nope"]);
    expect(plain.exitCode).toBe(2);
    const lines = plain.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^error: No config file at .+\.$/);
    expect(lines[1]).toMatch(/^fix: /);
    expect(lines).toHaveLength(2);
    expect(plain.stderr).not.toContain("    at ");

    const debug = await runCli(sandbox, ["--log-level=debug", "isolation", "show", "nope"]);
    expect(debug.exitCode).toBe(2);
    expect(debug.stderr).toMatch(/^error: No config file at /);
    expect(debug.stderr).toContain("    at ");
  });

  it("colours on a TTY unless NO_COLOR is set", async () => {
    const tty = await runCliInTty(sandbox, ["isolation", "show", "nope"], { env: { NO_COLOR: undefined } });
    expect(tty.exitCode).toBe(2);
    expect(tty.stdout).toMatch(ANSI);
    expect(tty.stdout).toContain("No config file at");
    const noColor = await runCliInTty(sandbox, ["isolation", "show", "nope"], { env: { NO_COLOR: "1" } });
    expect(noColor.exitCode).toBe(2);
    expect(noColor.stdout).not.toMatch(ANSI);
    expect(noColor.stdout).toContain("No config file at");
  });

  it("colours only when forced on a non-TTY, never with NO_COLOR", async () => {
    const forced = await runCli(sandbox, ["isolation", "show", "nope"], {
      env: { NO_COLOR: undefined, FORCE_COLOR: "1" },
    });
    expect(forced.stderr).toMatch(ANSI);
    const both = await runCli(sandbox, ["isolation", "show", "nope"], {
      env: { NO_COLOR: "1", FORCE_COLOR: "1" },
    });
    expect(both.stderr).not.toMatch(ANSI);
    const pipe = await runCli(sandbox, ["isolation", "show", "nope"], { env: { NO_COLOR: undefined } });
    expect(pipe.stderr).not.toMatch(ANSI);
  });
});
