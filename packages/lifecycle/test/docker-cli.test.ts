import { describe, expect, it } from "vitest";
import { dockerEnv, engineWords, isConnectFailure, runDocker } from "../src/docker-cli.ts";

describe("docker CLI helpers", () => {
  it("merges env over process.env and unsets names given as undefined", () => {
    process.env["MCPPROXY_TEST_UNSET_ME"] = "1";
    try {
      const env = dockerEnv(
        { env: { DOCKER_HOST: "unix:///x.sock", MCPPROXY_TEST_UNSET_ME: undefined } },
        { A: "b" },
      );
      expect(env["DOCKER_HOST"]).toBe("unix:///x.sock");
      expect(env["A"]).toBe("b");
      expect("MCPPROXY_TEST_UNSET_ME" in env).toBe(false);
      expect(env["PATH"]).toBe(process.env["PATH"]);
    } finally {
      delete process.env["MCPPROXY_TEST_UNSET_ME"];
    }
  });

  it("keeps the engine's words and drops the CLI's decoration", () => {
    expect(
      engineWords(
        "docker: Error response from daemon: No such image: x:1\n\nRun 'docker run --help' for more information",
      ),
    ).toBe("No such image: x:1");
  });

  it("runs the CLI and tells a dead engine from a daemon error", async () => {
    const dead = await runDocker(["version", "--format", "{{.Server.Version}}"], {
      docker: { env: { DOCKER_HOST: "unix:///tmp/mcpproxy-dead-engine.sock", DOCKER_CONTEXT: undefined } },
    });
    expect(dead.failed).toBe(true);
    expect(isConnectFailure(dead)).toBe(true);
    const daemonError = await runDocker(["container", "inspect", "mcpproxy-no-such-container"]);
    expect(daemonError.failed).toBe(true);
    expect(isConnectFailure(daemonError)).toBe(false);
    const missingCli = await runDocker(["version"], { docker: { command: "/nonexistent/docker" } });
    expect(missingCli.spawnError).toBe("ENOENT");
    expect(isConnectFailure(missingCli)).toBe(true);
  });
});
