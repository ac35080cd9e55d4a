import { describe, expect, it } from "vitest";
import { defaultLogDir, resolveLogDir, serverLogFileName } from "../src/index.ts";

describe("defaultLogDir", () => {
  it("uses ~/Library/Logs/mcpproxy on macOS", () => {
    expect(defaultLogDir({ platform: "darwin", env: {}, homedir: "/Users/ada" })).toBe(
      "/Users/ada/Library/Logs/mcpproxy",
    );
  });

  it("uses %LOCALAPPDATA%\\mcpproxy\\logs on Windows, with a home-based fallback", () => {
    expect(
      defaultLogDir({
        platform: "win32",
        env: { LOCALAPPDATA: "D:\\Data\\Local" },
        homedir: "C:\\Users\\ada",
      }),
    ).toBe("D:\\Data\\Local\\mcpproxy\\logs");
    expect(defaultLogDir({ platform: "win32", env: {}, homedir: "C:\\Users\\ada" })).toBe(
      "C:\\Users\\ada\\AppData\\Local\\mcpproxy\\logs",
    );
  });

  it("uses $XDG_STATE_HOME/mcpproxy/logs on Linux, else ~/.local/state/mcpproxy/logs", () => {
    expect(
      defaultLogDir({ platform: "linux", env: { XDG_STATE_HOME: "/var/state" }, homedir: "/home/ada" }),
    ).toBe("/var/state/mcpproxy/logs");
    expect(defaultLogDir({ platform: "linux", env: {}, homedir: "/home/ada" })).toBe(
      "/home/ada/.local/state/mcpproxy/logs",
    );
    // A relative XDG_STATE_HOME is invalid per the XDG spec and ignored.
    expect(
      defaultLogDir({ platform: "freebsd", env: { XDG_STATE_HOME: "state" }, homedir: "/home/ada" }),
    ).toBe("/home/ada/.local/state/mcpproxy/logs");
  });
});

describe("resolveLogDir", () => {
  it("prefers the config's log_dir, expanding ~", () => {
    const opts = { platform: "linux" as const, env: {}, homedir: "/home/ada" };
    expect(resolveLogDir({ log_dir: "/srv/logs" }, opts)).toBe("/srv/logs");
    expect(resolveLogDir({ log_dir: "~/mcp-logs" }, opts)).toBe("/home/ada/mcp-logs");
    expect(resolveLogDir({}, opts)).toBe("/home/ada/.local/state/mcpproxy/logs");
    expect(resolveLogDir({ log_dir: "  " }, opts)).toBe("/home/ada/.local/state/mcpproxy/logs");
  });
});

describe("serverLogFileName", () => {
  it("is server-<name>.log with path separators and odd characters replaced", () => {
    expect(serverLogFileName("github")).toBe("server-github.log");
    expect(serverLogFileName("my.server_2-x")).toBe("server-my.server_2-x.log");
    expect(serverLogFileName("../etc/passwd")).toBe("server-.._etc_passwd.log");
    expect(serverLogFileName("a b:c")).toBe("server-a_b_c.log");
  });
});
