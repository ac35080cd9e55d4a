import { readFile } from "node:fs/promises";
import { uniqueName, waitFor } from "@mcpproxy/test-helpers";
import { containersWithLabel, ensureTestImages, removeContainers } from "@mcpproxy/test-images";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createSandbox,
  runCli,
  serveRest,
  spawnCli,
  startServe,
  waitForOutput,
  watchOutput,
  writeServeConfig,
  type Sandbox,
} from "../run-cli.ts";

const READY = /Ready: mcpproxy is serving on (http:\/\/127\.0\.0\.1:\d+)/;

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe("mcpproxy serve", () => {
  it("on first run creates the default config and prints it, the MCP URL and the Claude Code line", async () => {
    const serve = spawnCli(sandbox, ["serve", "--listen", "127.0.0.1:0", "--tray=false"]);
    const output = await waitForOutput(serve.stdout, READY);
    const url = READY.exec(output)?.[1] ?? "";
    expect(output).toContain(`Created the default config: ${sandbox.configPath}`);
    expect(output).toContain(`MCP URL: ${url}/mcp`);
    expect(output).toContain(`Dashboard: ${url}/ui/`);
    expect(output).toContain(`claude mcp add --transport http mcpproxy ${url}/mcp`);

    const health = await fetch(`${url}/api/v1/health`);
    expect(health.status).toBe(200);
    const config = JSON.parse(await readFile(sandbox.configPath, "utf8")) as { api_key?: string };
    expect(config.api_key).toMatch(/^[0-9a-f]{64}$/);
    const key = config.api_key ?? "";
    expect(output).toContain(
      `claude mcp add --transport http mcpproxy ${url}/mcp --header "X-API-Key: ${key}"`,
    );
    expect(output).toContain(`"X-API-Key": "${key}"`);
    expect(output).toContain(`"url": "${url}/mcp"`);
    expect(output).toMatch(/^Logs: \/.+$/m);
    expect(output).toMatch(/^Docker engine: .+$/m);
    expect(output).toContain(
      "No upstream servers are configured yet. Add one with: mcpproxy servers add NAME -- COMMAND ARGS…",
    );
    // The printed line works: an MCP initialize with that header is served, one without it is not.
    const initialize = (headers: Record<string, string>) =>
      fetch(`${url}/mcp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "t", version: "1" },
          },
        }),
      }).then(async (response) => {
        await response.body?.cancel();
        return response.status;
      });
    expect(await initialize({})).toBe(401);
    expect(await initialize({ "X-API-Key": key })).toBe(200);

    serve.kill("SIGTERM");
    const result = await serve;
    expect(result.exitCode).toBe(0);
  });

  it("adds a generated api_key to an existing config without one, keeping its comments", async () => {
    await sandbox.writeConfig({ mcpServers: [] });
    const { writeFile } = await import("node:fs/promises");
    await writeFile(sandbox.configPath, `// my proxy\n${await readFile(sandbox.configPath, "utf8")}`);
    const serve = spawnCli(sandbox, ["serve", "--listen", "127.0.0.1:0"]);
    const output = await waitForOutput(serve.stdout, READY);
    const text = await readFile(sandbox.configPath, "utf8");
    expect(text.startsWith("// my proxy\n")).toBe(true);
    const key = /"api_key": "([0-9a-f]{64})"/.exec(text)?.[1];
    expect(key).toBeDefined();
    expect(output).toContain('Added a generated "api_key" to the config');
    expect(output).toContain(`--header "X-API-Key: ${key ?? ""}"`);
    serve.kill("SIGHUP");
    const { exitCode, signal, timedOut, stderr } = await serve;
    expect({ exitCode, signal, timedOut, stderr: String(stderr) }).toMatchObject({
      exitCode: 0,
      signal: undefined,
      timedOut: false,
    });
  });

  it("serves an isolated server, and SIGTERM exits 0 leaving no container", async () => {
    const images = await ensureTestImages();
    const name = uniqueName("serve");
    const port = await writeServeConfig(sandbox, {
      api_key: "serve-test-key",
      docker_isolation: { enabled: true, memory_limit: "256m" },
      mcpServers: [
        {
          name,
          command: "mcp-server-everything",
          args: ["stdio"],
          isolation: { image: images.everything, network_mode: "none" },
        },
      ],
    });
    const serve = await startServe(sandbox, ["--tray"]);
    try {
      expect(serve.output).toMatch(READY);
      expect(serve.output).toContain(`Config: ${sandbox.configPath}`);
      expect(serve.output).toContain(`MCP URL: http://127.0.0.1:${port}/mcp`);

      // The REST API of the spec, with the key from the config (an isolated start may take long under load).
      const server = await waitFor(
        async () => {
          const view = await serveRest<{ state: string }>(port, "serve-test-key", `/servers/${name}`);
          return view.state === "ready" ? view : undefined;
        },
        `${name} to be ready`,
        100_000,
      );
      expect(server.state).toBe("ready");
      expect(await containersWithLabel("io.mcpproxy.server", name)).toHaveLength(1);

      expect((await serve.stop()).exitCode).toBe(0);
      expect(await containersWithLabel("io.mcpproxy.server", name)).toEqual([]);
    } finally {
      serve.process.kill("SIGKILL");
      await removeContainers(await containersWithLabel("io.mcpproxy.server", name));
    }
  });

  it("with --stdio speaks only MCP on stdout; the human lines go to stderr", async () => {
    const serve = spawnCli(sandbox, ["serve", "--stdio", "--listen", "127.0.0.1:0"]);
    const mcp = watchOutput(serve.stdout);
    try {
      await waitForOutput(serve.stderr, READY);
      const initialize = {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "cli-test", version: "1" },
        },
      };
      serve.stdin.write(`${JSON.stringify(initialize)}\n`);
      const stdout = await mcp.waitFor(/\n/);
      const message = JSON.parse(stdout.split("\n")[0] ?? "") as {
        id: number;
        result: { serverInfo: unknown };
      };
      expect(message.id).toBe(1);
      expect(message.result.serverInfo).toBeDefined();
    } finally {
      serve.stdin.end();
      serve.kill("SIGTERM");
    }
    const result = await serve;
    expect(result.exitCode).toBe(0);
    for (const line of String(result.stdout).split("\n").filter(Boolean)) {
      expect(JSON.parse(line)).toHaveProperty("jsonrpc", "2.0");
    }
    expect(String(result.stderr)).toContain("claude mcp add --transport http mcpproxy");
  });

  it("refuses an invalid config with every error and exit 2, starting nothing", async () => {
    await sandbox.writeConfig({ listen: "127.0.0.1:99999", docker_isolation: { cpu_limit: "-1" } });
    const result = await runCli(sandbox, ["serve"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: .+ has 2 errors\.$/m);
    expect(result.stderr).toMatch(/^ {2}listen: /m);
    expect(result.stderr).toMatch(/^ {2}docker_isolation\.cpu_limit: /m);
    expect(result.stderr).toMatch(/^fix: /m);
  });

  it("--log-level rejects a level that does not exist", async () => {
    const result = await runCli(sandbox, ["serve", "--log-level=verbose"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--log-level");
  });
});
