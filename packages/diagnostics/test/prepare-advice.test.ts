import { parseConfig, resolveIsolation, type McpProxyConfig, type ServerConfig } from "@mcpproxy/config";
import { describe, expect, it } from "vitest";
import { prepareAdvice } from "../src/prepare-advice.ts";

function setup(servers: unknown[], global: Record<string, unknown> = {}): McpProxyConfig {
  const result = parseConfig(
    JSON.stringify({ docker_isolation: { enabled: true, ...global }, mcpServers: servers }),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

function adviceFor(config: McpProxyConfig, name: string) {
  const server = config.mcpServers.find((s) => s.name === name) as ServerConfig;
  return prepareAdvice(config, server, resolveIsolation(config, server));
}

describe("prepareAdvice (package downloaded on every start)", () => {
  it("suggests prepare with the config snippet for an npx server", () => {
    const config = setup([
      { name: "memory", command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
    ]);
    const advice = adviceFor(config, "memory");
    expect(advice?.code).toBe("package-downloaded-every-start");
    expect(advice?.title).toMatch(/^Package downloaded on every start/);
    expect(advice?.configSnippet).toEqual({ mcpServers: [{ name: "memory", isolation: { prepare: true } }] });
    expect(advice?.fix).toMatch(/mcpproxy images prepare memory/);
  });

  it("explains why uvx needs the network at start (the wrapper installs uv first)", () => {
    const config = setup([{ name: "fetch", command: "uvx", args: ["mcp-server-fetch"] }]);
    const advice = adviceFor(config, "fetch");
    expect(advice?.evidence.join("\n")).toMatch(/has no uvx, so each start first runs `pip install uv`/);
  });

  it("says nothing when prepare is on, the server is not isolated, or the command is no runner", () => {
    const config = setup(
      [
        { name: "on", command: "npx", args: ["-y", "pkg"], isolation: { prepare: true } },
        { name: "host", command: "npx", args: ["-y", "pkg"], isolation: { enabled: false } },
        { name: "plain", command: "node", args: ["server.js"] },
      ],
      {},
    );
    expect(adviceFor(config, "on")).toBeUndefined();
    expect(adviceFor(config, "host")).toBeUndefined();
    expect(adviceFor(config, "plain")).toBeUndefined();
    const global = setup([{ name: "g", command: "npx", args: ["-y", "pkg"] }], { prepare: true });
    expect(adviceFor(global, "g")).toBeUndefined();
  });
});
