import { describe, expect, it } from "vitest";
import { formatIssues, validateConfig } from "../src/index.ts";
import { global, isolated, server } from "./fixtures/bad-configs.ts";

describe("unknown keys are warnings with a did-you-mean", () => {
  function warningLines(value: unknown): string[] {
    const result = validateConfig(value);
    expect(result.ok).toBe(true);
    return formatIssues(result.warnings);
  }

  it.each([
    [{ mcp_servers: [] }, 'mcp_servers: unknown key "mcp_servers" is ignored; did you mean "mcpServers"?'],
    [{ logLevel: "info" }, 'logLevel: unknown key "logLevel" is ignored; did you mean "log_level"?'],
    [
      { memory_limit: "1g" },
      'memory_limit: unknown key "memory_limit" is ignored; it belongs in "docker_isolation"',
    ],
    [{ isolation: {} }, 'isolation: unknown key "isolation" is ignored; did you mean "docker_isolation"?'],
    [
      global({ memory_limt: "1g" }),
      'docker_isolation.memory_limt: unknown key "memory_limt" is ignored; did you mean "memory_limit"?',
    ],
    [
      global({ volumes: [] }),
      'docker_isolation.volumes: unknown key "volumes" is ignored; it is set per server, in mcpServers[].isolation.volumes',
    ],
    [
      { mcpServers: [server({ image: "python:3.12" })] },
      'mcpServers[0].image: unknown key "image" is ignored; it belongs in "isolation": mcpServers[0].isolation.image',
    ],
    [
      { mcpServers: [server({ disabled: true })] },
      'mcpServers[0].disabled: unknown key "disabled" is ignored; to turn the server off write "enabled": false',
    ],
    [
      isolated({ timeout: "60s" }),
      'mcpServers[0].isolation.timeout: unknown key "timeout" is ignored; a per-server timeout is not supported; set docker_isolation.timeout',
    ],
    [
      isolated({ netwrok_mode: "none" }),
      'mcpServers[0].isolation.netwrok_mode: unknown key "netwrok_mode" is ignored; did you mean "network_mode"?',
    ],
    [
      { mcpServers: { gh: { command: "npx", enviroment: {} } } },
      'mcpServers.gh.enviroment: unknown key "enviroment" is ignored; did you mean "env"?',
    ],
  ])("%j", (value, expected) => {
    expect(warningLines(value)).toEqual([expected]);
  });

  it("drops unknown keys from the result and accepts $schema", () => {
    const result = validateConfig({ $schema: "./schema.json", extra: 1, mcpServers: [server({ foo: 1 })] });
    expect(result.ok && formatIssues(result.warnings)).toEqual([
      'extra: unknown key "extra" is ignored',
      'mcpServers[0].foo: unknown key "foo" is ignored',
    ]);
    expect(result.ok && "extra" in result.config).toBe(false);
    expect(result.ok && "foo" in (result.config.mcpServers[0] ?? {})).toBe(false);
  });

  it("reports warnings alongside errors", () => {
    const result = validateConfig({ listen: "x", lisen: "y" });
    expect(result.ok).toBe(false);
    expect(formatIssues(result.warnings)).toEqual([
      'lisen: unknown key "lisen" is ignored; did you mean "listen"?',
    ]);
  });
});
