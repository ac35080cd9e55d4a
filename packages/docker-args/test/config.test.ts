// From mcp_config.json text to argv: the spec's own config examples go through
// @mcpproxy/config's parse + resolve and come out as the documented docker run.
import { parseConfig, resolveIsolation, type McpProxyConfig } from "@mcpproxy/config";
import { describe, expect, it } from "vitest";
import { buildDockerRunArgs } from "../src/build.ts";
import { withoutManaged } from "./fixtures.ts";

const OVERVIEW_CONFIG = `{
  "docker_isolation": {
    "enabled": true,
    "memory_limit": "512m",
    "cpu_limit": "1.0",
    "timeout": "60s",
    "network_mode": "bridge",
    "registry": "docker.io",
    "extra_args": []
  },
  "mcpServers": [
    {
      "name": "custom-python-server",
      "command": "python",
      "args": ["-m", "my_server"],
      "isolation": {
        "enabled": true,
        "image": "my-custom-python:latest",
        "network_mode": "none",
        "working_dir": "/app",
        "extra_args": ["--cap-drop=ALL"]
      },
      "enabled": true
    },
    {
      "name": "api-server",
      "command": "uvx",
      "args": ["some-package"],
      "env": { "API_KEY": "your-secret-key", "DEBUG": "true" },
      "enabled": true
    },
    { "name": "existing-docker-server", "command": "docker", "args": ["run", "-i", "--rm", "mcp/some-server"], "enabled": true }
  ]
}`;

function loaded(): McpProxyConfig {
  const result = parseConfig(OVERVIEW_CONFIG);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

function argvFor(config: McpProxyConfig, name: string): string[] {
  const entry = config.mcpServers.find((candidate) => candidate.name === name);
  if (entry === undefined) throw new Error(`no server ${name}`);
  const isolation = resolveIsolation(config, entry);
  if (!isolation.enabled) throw new Error(`isolation off for ${name}: ${isolation.detail}`);
  return withoutManaged(buildDockerRunArgs(entry, isolation, { nameSuffix: "t" }).argv);
}

describe("spec config → argv", () => {
  const config = loaded();

  it("custom-python-server", () => {
    expect(argvFor(config, "custom-python-server")).toEqual([
      "run",
      "-i",
      "--rm",
      "--memory=512m",
      "--cpus=1.0",
      "--network=none",
      "--workdir=/app",
      "--cap-drop=ALL",
      "my-custom-python:latest",
      "python",
      "-m",
      "my_server",
    ]);
  });

  it("api-server (values stay out of argv)", () => {
    expect(argvFor(config, "api-server")).toEqual([
      "run",
      "-i",
      "--rm",
      "--memory=512m",
      "--cpus=1.0",
      "--network=bridge",
      "-e",
      "API_KEY",
      "-e",
      "DEBUG",
      "python:3.11",
      "uvx",
      "some-package",
    ]);
  });

  it("existing-docker-server is never isolated", () => {
    const entry = config.mcpServers.find((candidate) => candidate.name === "existing-docker-server");
    expect(entry && resolveIsolation(config, entry)).toMatchObject({
      enabled: false,
      reason: "container-runtime-command",
    });
  });
});
