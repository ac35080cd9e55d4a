import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { buildDockerRunArgs } from "../src/build.ts";
import { dockerRunArgsForLog, formatDockerCommand, shellQuote } from "../src/format.ts";
import { server, settings } from "./fixtures.ts";

const fixed = { nameSuffix: "abc123" };

/** What `sh` (or bash, for $'...') makes of a quoted line: the argv it would run. */
async function shellWords(line: string, shell = "sh"): Promise<string[]> {
  const { stdout } = await execa(shell, ["-c", `for a in ${line}; do printf '%s\\0' "$a"; done`], {
    stripFinalNewline: false,
  });
  return stdout.split("\0").slice(0, -1);
}

describe("shellQuote", () => {
  it.each([
    ["run", "run"],
    ["--memory=512m", "--memory=512m"],
    ["python:3.11", "python:3.11"],
    ["/path/to/db", "/path/to/db"],
    ["", "''"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["$HOME", "'$HOME'"],
    ["KEY=***", "'KEY=***'"],
    ["=x", "'=x'"],
    ["~", "'~'"],
    ["line1\nline2", "$'line1\\nline2'"],
    ["tab\there's", "$'tab\\there\\'s'"],
  ])("%j → %s", (token, quoted) => {
    expect(shellQuote(token)).toBe(quoted);
  });

  it("round-trips hostile tokens through a real shell", async () => {
    const tokens = [
      "a b",
      "it's",
      "$(id)",
      "`id`",
      '"dq"',
      "; rm -rf /",
      "*",
      "--flag",
      "x\\y",
      "ünï",
      "&&",
      "|",
    ];
    expect(await shellWords(tokens.map(shellQuote).join(" "))).toEqual(tokens);
    const control = ["multi\nline", "tab\tsep", "bell\u0007", "back\\slash'q"];
    expect(await shellWords(control.map(shellQuote).join(" "), "bash")).toEqual(control);
  });
});

describe("formatDockerCommand", () => {
  const result = buildDockerRunArgs(
    server({
      name: "api-server",
      args: ["some-package"],
      env: { API_KEY: "your-secret-key", DEBUG: "true" },
    }),
    settings(),
    fixed,
  );

  it("masks env values by default: -e KEY=***", () => {
    const line = formatDockerCommand(result);
    expect(line).toBe(
      "docker run -i --rm --name=mcpproxy-api-server-abc123 --label=io.mcpproxy.managed-by=mcpproxy " +
        "--label=io.mcpproxy.server=api-server --memory=512m --cpus=1.0 --network=bridge " +
        "-e 'API_KEY=***' -e 'DEBUG=***' python:3.11 uvx some-package",
    );
    expect(line).not.toContain("your-secret-key");
  });

  it("shows values when asked (the spec's -e API_KEY=your-secret-key -e DEBUG=true)", () => {
    const line = formatDockerCommand(result, { maskSecrets: false });
    expect(line).toContain("-e API_KEY=your-secret-key -e DEBUG=true python:3.11");
  });

  it("is the guide's 'test manually' line for uvx mcp-server-name", () => {
    const line = formatDockerCommand(buildDockerRunArgs(server(), settings(), fixed));
    expect(line.replace(/ --(?:name|label)=\S+/g, "")).toBe(
      "docker run -i --rm --memory=512m --cpus=1.0 --network=bridge python:3.11 uvx mcp-server-name",
    );
  });

  it("accepts another docker command, quoted", () => {
    expect(formatDockerCommand(result, { dockerCommand: "/opt/my docker/docker" })).toMatch(
      /^'\/opt\/my docker\/docker' run /,
    );
  });

  it("masks inline env values (docker CLI names, extra_args) and leaves server args alone", async () => {
    const hostile = buildDockerRunArgs(
      server({
        env: { DOCKER_HOST: "tcp://secret-host:2375", "A B": "x y" },
        args: ["-e", "NOT_AN_ENV=keep", "it's $HOME"],
      }),
      settings({ extra_args: ["--env=EXTRA=s3cr3t", "-e", "OTHER=pw"] }),
      fixed,
    );
    const masked = formatDockerCommand(hostile);
    expect(masked).not.toMatch(/secret-host|s3cr3t|pw\b|x y/);
    expect(masked).toContain("-e 'DOCKER_HOST=***'");
    expect(masked).toContain("'--env=EXTRA=***' -e 'OTHER=***'");
    expect(masked).toContain("-e NOT_AN_ENV=keep");

    const unmasked = formatDockerCommand(hostile, { maskSecrets: false });
    const words = await shellWords(unmasked);
    expect(words.slice(-4)).toEqual(["uvx", "-e", "NOT_AN_ENV=keep", "it's $HOME"]);
    expect(words).toEqual(
      expect.arrayContaining(["DOCKER_HOST=tcp://secret-host:2375", "A B=x y", "OTHER=pw"]),
    );
  });

  it("keeps a multi-line value on one line", () => {
    const multi = buildDockerRunArgs(
      server({ env: { CERT: "-----BEGIN-----\nabc\n-----END-----" } }),
      settings(),
      fixed,
    );
    expect(formatDockerCommand(multi, { maskSecrets: false })).not.toContain("\n");
  });
});

describe("dockerRunArgsForLog", () => {
  it("is argv unchanged when every env value is passed by name", () => {
    const result = buildDockerRunArgs(server({ env: { API_KEY: "k" } }), settings(), fixed);
    expect(dockerRunArgsForLog(result)).toEqual(result.argv);
  });

  it("masks inline values, never the server's own args", () => {
    const result = buildDockerRunArgs(
      server({ env: { HTTPS_PROXY: "http://user:pw@proxy:3128" }, args: ["--env=A=b"] }),
      settings({ extra_args: ["-eTOKEN=tok3n"] }),
      fixed,
    );
    const logged = dockerRunArgsForLog(result);
    expect(JSON.stringify(logged)).not.toMatch(/user:pw|tok3n/);
    expect(logged).toContain("HTTPS_PROXY=***");
    expect(logged).toContain("-eTOKEN=***");
    expect(logged.at(-1)).toBe("--env=A=b");
    expect(logged).toHaveLength(result.argv.length);
  });
});
