import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_ENV_VAR, defaultConfigPath, resolveConfigPath } from "../src/index.ts";

describe("resolveConfigPath", () => {
  const homeDir = "/home/me";

  it("defaults to ~/.mcpproxy/mcp_config.json", () => {
    expect(resolveConfigPath({ env: {}, homeDir })).toBe("/home/me/.mcpproxy/mcp_config.json");
    expect(resolveConfigPath({ env: {} })).toBe(join(homedir(), ".mcpproxy", "mcp_config.json"));
    expect(defaultConfigPath(homeDir)).toBe("/home/me/.mcpproxy/mcp_config.json");
  });

  it("takes MCPPROXY_CONFIG over the default", () => {
    expect(CONFIG_ENV_VAR).toBe("MCPPROXY_CONFIG");
    expect(resolveConfigPath({ env: { MCPPROXY_CONFIG: "/etc/mcp.json" }, homeDir })).toBe("/etc/mcp.json");
    expect(resolveConfigPath({ env: "/etc/mcp.json", homeDir })).toBe("/etc/mcp.json");
  });

  it("takes the flag over MCPPROXY_CONFIG", () => {
    expect(
      resolveConfigPath({ flag: "/tmp/a.json", env: { MCPPROXY_CONFIG: "/etc/mcp.json" }, homeDir }),
    ).toBe("/tmp/a.json");
  });

  it("treats empty values as unset", () => {
    expect(resolveConfigPath({ flag: "", env: { MCPPROXY_CONFIG: "  " }, homeDir })).toBe(
      "/home/me/.mcpproxy/mcp_config.json",
    );
  });

  it("expands ~ and resolves relative paths against the working directory", () => {
    expect(resolveConfigPath({ flag: "~/cfg/x.json", homeDir })).toBe("/home/me/cfg/x.json");
    expect(resolveConfigPath({ flag: "x.json", homeDir })).toBe(resolve("x.json"));
  });

  it("reads process.env when no env is given", () => {
    const saved = process.env[CONFIG_ENV_VAR];
    process.env[CONFIG_ENV_VAR] = "/from/process.json";
    try {
      expect(resolveConfigPath({ homeDir })).toBe("/from/process.json");
    } finally {
      if (saved === undefined) delete process.env[CONFIG_ENV_VAR];
      else process.env[CONFIG_ENV_VAR] = saved;
    }
  });
});
