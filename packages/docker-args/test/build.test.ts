import { describe, expect, it } from "vitest";
import { buildDockerRunArgs } from "../src/build.ts";
import { server, settings, thrown, withoutManaged } from "./fixtures.ts";

const fixed = { nameSuffix: "abc123" };

describe("spec examples", () => {
  it("guide: docker_run_args for uvx mcp-server-name, literally", () => {
    const result = buildDockerRunArgs(server(), settings(), fixed);
    expect(withoutManaged(result.argv)).toEqual([
      "run",
      "-i",
      "--rm",
      "--memory=512m",
      "--cpus=1.0",
      "--network=bridge",
      "python:3.11",
      "uvx",
      "mcp-server-name",
    ]);
    expect(result).toMatchObject({ image: "python:3.11", runtime: "python", env: {}, warnings: [] });
  });

  it("guide: uvx mcp-server-sqlite --db-path /path/to/db", () => {
    const result = buildDockerRunArgs(
      server({ name: "sqlite", args: ["mcp-server-sqlite", "--db-path", "/path/to/db"] }),
      settings(),
      fixed,
    );
    expect(withoutManaged(result.argv)).toEqual([
      "run",
      "-i",
      "--rm",
      "--memory=512m",
      "--cpus=1.0",
      "--network=bridge",
      "python:3.11",
      "uvx",
      "mcp-server-sqlite",
      "--db-path",
      "/path/to/db",
    ]);
  });

  it("overview: api-server env becomes -e API_KEY -e DEBUG, values out of argv", () => {
    const result = buildDockerRunArgs(
      server({
        name: "api-server",
        args: ["some-package"],
        env: { API_KEY: "your-secret-key", DEBUG: "true" },
      }),
      settings(),
      fixed,
    );
    expect(withoutManaged(result.argv)).toEqual([
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
    expect(result.env).toEqual({ API_KEY: "your-secret-key", DEBUG: "true" });
    expect(result.argv.join(" ")).not.toContain("your-secret-key");
  });

  it("overview: custom-python-server (image, network none, working_dir, --cap-drop=ALL)", () => {
    const result = buildDockerRunArgs(
      server({ name: "custom-python-server", command: "python", args: ["-m", "my_server"] }),
      settings({
        image: "my-custom-python:latest",
        network_mode: "none",
        working_dir: "/app",
        extra_args: ["--cap-drop=ALL"],
      }),
      fixed,
    );
    expect(withoutManaged(result.argv)).toEqual([
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

  it("guide: per-server override (python:3.12-slim, 1g, 2.0, none, /workspace)", () => {
    const result = buildDockerRunArgs(
      server(),
      settings({
        image: "python:3.12-slim",
        memory_limit: "1g",
        cpu_limit: "2.0",
        network_mode: "none",
        working_dir: "/workspace",
      }),
      fixed,
    );
    expect(withoutManaged(result.argv)).toEqual([
      "run",
      "-i",
      "--rm",
      "--memory=1g",
      "--cpus=2.0",
      "--network=none",
      "--workdir=/workspace",
      "python:3.12-slim",
      "uvx",
      "mcp-server-name",
    ]);
  });

  it("guide: read-only volume mount", () => {
    const result = buildDockerRunArgs(
      server(),
      settings({ volumes: ["/host/path:/container/path:ro"] }),
      fixed,
    );
    expect(withoutManaged(result.argv)).toEqual([
      "run",
      "-i",
      "--rm",
      "--memory=512m",
      "--cpus=1.0",
      "--network=bridge",
      "-v",
      "/host/path:/container/path:ro",
      "python:3.11",
      "uvx",
      "mcp-server-name",
    ]);
  });

  it.each(["bridge", "host", "none", "container:db-1"])("guide: network_mode %s", (mode) => {
    const result = buildDockerRunArgs(server(), settings({ network_mode: mode }), fixed);
    expect(result.argv).toContain(`--network=${mode}`);
    // host and container:… share a network stack: the same warning as --network=host in extra_args.
    const shared = mode === "host" || mode.startsWith("container:");
    expect(result.warnings).toEqual(
      shared
        ? [
            {
              code: "NETWORK_HOST",
              message: expect.stringMatching(
                /^network_mode ".+" gives the server the (host's network stack|network namespace of container "db-1")/,
              ) as unknown,
              arg: `--network=${mode}`,
            },
          ]
        : [],
    );
  });

  it("guide: increased resources (2g, 2.0)", () => {
    const result = buildDockerRunArgs(server(), settings({ memory_limit: "2g", cpu_limit: "2.0" }), fixed);
    expect(result.argv).toEqual(expect.arrayContaining(["--memory=2g", "--cpus=2.0"]));
  });

  it.each([
    ["docker", ["run", "-i", "--rm", "mcp/some-server"]],
    ["docker", ["run", "-i", "--rm", "mcp-image:latest"]],
    ["/usr/local/bin/docker", []],
    ["podman.exe", []],
    ["nerdctl", []],
  ])("spec: Docker-in-Docker prevention refuses %s", (command, args) => {
    const error = thrown(() => buildDockerRunArgs(server({ command, args }), settings(), fixed));
    expect(error).toMatchObject({ code: "CONTAINER_RUNTIME_COMMAND", field: "command", value: command });
  });

  it.each([
    ["npx", ["-y", "@modelcontextprotocol/server-everything"], "node:20"],
    ["python3", ["-m", "srv"], "python:3.11"],
    ["go", ["run", "."], "golang:1.21-alpine"],
    ["cargo", ["run"], "rust:1.75-slim"],
    ["ruby", ["srv.rb"], "ruby:3.2-alpine"],
    ["composer", ["exec", "srv"], "php:8.2-cli-alpine"],
    ["bash", ["-c", "exec srv"], "alpine:3.18"],
    ["mcp-server-fetch", [], "alpine:3.18"],
  ])("the runtime table picks the image: %s → %s", (command, args, image) => {
    const result = buildDockerRunArgs(server({ command, args }), settings(), fixed);
    expect(result.argv.slice(-2 - args.length)).toEqual([image, command, ...args]);
  });
});

describe("order of every section", () => {
  it("run -i --rm [managed] limits [-e] [--workdir] [-v] [hardening] [extra_args] IMAGE COMMAND ARGS", () => {
    const result = buildDockerRunArgs(
      server({ env: { TOKEN: "t" } }),
      settings({
        working_dir: "/work",
        volumes: ["/data:/data"],
        pids_limit: 64,
        read_only: true,
        cap_drop: ["ALL", "NET_RAW"],
        no_new_privileges: true,
        user: "1000:1000",
        extra_args: ["--init", "--log-driver", "none"],
      }),
      {
        nameSuffix: "s1",
        instanceId: "inst-1",
        configHash: "cafe",
        cidFile: "/tmp/x.cid",
        extraLabels: { team: "a" },
      },
    );
    expect(result.argv).toEqual([
      "run",
      "-i",
      "--rm",
      "--name=mcpproxy-my-server-s1",
      "--label=io.mcpproxy.managed-by=mcpproxy",
      "--label=io.mcpproxy.server=my-server",
      "--label=io.mcpproxy.instance=inst-1",
      "--label=io.mcpproxy.config-hash=cafe",
      "--label=team=a",
      "--cidfile=/tmp/x.cid",
      "--memory=512m",
      "--cpus=1.0",
      "--network=bridge",
      "-e",
      "TOKEN",
      "--workdir=/work",
      "-v",
      "/data:/data",
      "--pids-limit=64",
      "--read-only",
      "--tmpfs=/tmp",
      "--cap-drop=ALL",
      "--cap-drop=NET_RAW",
      "--security-opt=no-new-privileges",
      "--user=1000:1000",
      "--init",
      "--log-driver",
      "none",
      "python:3.11",
      "uvx",
      "mcp-server-name",
    ]);
    expect(result.labels).toEqual({
      "io.mcpproxy.managed-by": "mcpproxy",
      "io.mcpproxy.server": "my-server",
      "io.mcpproxy.instance": "inst-1",
      "io.mcpproxy.config-hash": "cafe",
      team: "a",
    });
    expect(result.containerName).toBe("mcpproxy-my-server-s1");
  });

  it("omits the instance and config-hash labels when not given", () => {
    const result = buildDockerRunArgs(server(), settings(), fixed);
    expect(Object.keys(result.labels)).toEqual(["io.mcpproxy.managed-by", "io.mcpproxy.server"]);
  });

  it("read_only without a tmpfs when a volume already provides /tmp", () => {
    const result = buildDockerRunArgs(
      server(),
      settings({ read_only: true, volumes: ["scratch:/tmp/"] }),
      fixed,
    );
    expect(result.argv).toContain("--read-only");
    expect(result.argv.some((arg) => arg.startsWith("--tmpfs"))).toBe(false);
    const viaExtra = buildDockerRunArgs(
      server(),
      settings({ read_only: true, extra_args: ["--tmpfs", "/tmp:size=1m"] }),
      fixed,
    );
    expect(viaExtra.argv.filter((arg) => arg.startsWith("--tmpfs"))).toEqual(["--tmpfs"]);
  });

  it("pids_limit -1 (unlimited) and 0 are passed through", () => {
    expect(buildDockerRunArgs(server(), settings({ pids_limit: 0 }), fixed).argv).toContain("--pids-limit=0");
    expect(buildDockerRunArgs(server(), settings({ pids_limit: -1 }), fixed).argv).toContain(
      "--pids-limit=-1",
    );
  });
});

describe("container name and registry", () => {
  it("uses a random 8-hex suffix by default, unique per call", () => {
    const a = buildDockerRunArgs(server(), settings());
    const b = buildDockerRunArgs(server(), settings());
    expect(a.containerName).toMatch(/^mcpproxy-my-server-[0-9a-f]{8}$/);
    expect(a.containerName).not.toBe(b.containerName);
    expect(a.argv).toContain(`--name=${a.containerName}`);
  });

  it("qualifies the image with a non-Docker-Hub registry", () => {
    const result = buildDockerRunArgs(server(), settings({ registry: "mirror.example.com" }), fixed);
    expect(result.image).toBe("mirror.example.com/library/python:3.11");
    expect(result.argv.at(-3)).toBe("mirror.example.com/library/python:3.11");
  });
});

describe("command inside the container", () => {
  it.each([
    ["npx.cmd", "npx"],
    ["C:\\Program Files\\nodejs\\npx.cmd", "npx"],
    ["python.exe", "python"],
    ["/opt/homebrew/bin/python3", "python3"],
    ["./venv/bin/python", "python"],
    ["  uvx ", "uvx"],
  ])("%s runs as %s, with a COMMAND_REWRITTEN warning", (command, inContainer) => {
    const result = buildDockerRunArgs(server({ command, args: ["x"] }), settings(), fixed);
    expect(result.argv.slice(-2)).toEqual([inContainer, "x"]);
    expect(result.warnings.map((warning) => warning.code)).toEqual(["COMMAND_REWRITTEN"]);
  });

  it.each(["/app/bin/my-server", "./server.sh", "uvx", "python3.12"])("%s is kept", (command) => {
    const result = buildDockerRunArgs(server({ command, args: [] }), settings(), fixed);
    expect(result.argv.at(-1)).toBe(command);
    expect(result.warnings).toEqual([]);
  });
});
