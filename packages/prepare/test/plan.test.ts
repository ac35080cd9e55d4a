import { resolveIsolation, type McpProxyConfig, type ServerConfig } from "@mcpproxy/config";
import { describe, expect, it } from "vitest";
import { planPrepare } from "../src/plan.ts";

const config = {
  docker_isolation: {
    enabled: true,
    memory_limit: "512m",
    cpu_limit: "1.0",
    timeout: "30s",
    network_mode: "bridge",
    registry: "docker.io",
    default_images: { npx: "node:20", uvx: "python:3.11", node: "node:20" },
    extra_args: [],
  },
} as unknown as McpProxyConfig;

function server(command: string, args: string[], isolation?: ServerConfig["isolation"]): ServerConfig {
  return { name: "s", command, args, env: {}, enabled: true, isolation };
}

describe("planPrepare", () => {
  it("gives the package spec and the runtime image the build starts FROM", () => {
    const s = server("npx", ["-y", "@modelcontextprotocol/server-memory"]);
    const plan = planPrepare(s, resolveIsolation(config, s));
    expect(plan).toMatchObject({
      ok: true,
      baseImage: "node:20",
      spec: { ecosystem: "npm", package: { name: "@modelcontextprotocol/server-memory" } },
    });
  });

  it("builds FROM the server's own isolation.image when set", () => {
    const s = server("uvx", ["mcp-server-fetch"], { image: "python:3.12-slim" });
    expect(planPrepare(s, resolveIsolation(config, s))).toMatchObject({
      ok: true,
      baseImage: "python:3.12-slim",
    });
  });

  it("says why a server is not prepared: not a runner, or not isolated", () => {
    const plain = server("node", ["server.js"]);
    const notRunner = planPrepare(plain, resolveIsolation(config, plain));
    expect(notRunner.ok).toBe(false);
    expect(notRunner.ok ? "" : notRunner.reason).toMatch(/runs as configured/);
    const host = server("npx", ["-y", "x"], { enabled: false });
    const notIsolated = planPrepare(host, resolveIsolation(config, host));
    expect(notIsolated.ok ? "" : notIsolated.reason).toMatch(/not isolated/);
  });
});
