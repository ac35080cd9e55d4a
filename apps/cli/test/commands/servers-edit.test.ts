import { readFile } from "node:fs/promises";
import { parseConfig } from "@mcpproxy/config";
import { uniqueName, waitFor } from "@mcpproxy/test-helpers";
import { containersWithLabel, removeContainers } from "@mcpproxy/test-images";
import { describe, expect, it } from "vitest";
import { engineSandboxPerTest } from "../engine-sandbox.ts";
import { runCli, serveRest, startServe, writeServeConfig, type RunningServe } from "../run-cli.ts";

interface ServerView {
  name: string;
  state: string;
  tool_count: number;
  isolation: { enabled: boolean; container_name: string | null };
}

const API_KEY = "servers-edit-test-key";
const engine = engineSandboxPerTest();

async function serversOnDisk(): Promise<Map<string, boolean>> {
  const parsed = parseConfig(await readFile(engine.sandbox.configPath, "utf8"));
  if (!parsed.ok) throw new Error("the config on disk does not validate");
  return new Map(parsed.config.mcpServers.map((s) => [s.name, s.enabled]));
}

let port = 0;

/** Polled through REST directly (a CLI process per poll is slow on a loaded machine). */
function waitForServers(check: (servers: ServerView[]) => boolean, what: string): Promise<ServerView[]> {
  return waitFor(
    async () => {
      const { servers } = await serveRest<{ servers: ServerView[] }>(port, API_KEY, "/servers");
      return check(servers) ? servers : undefined;
    },
    what,
    120_000,
  );
}

async function stopServe(serve: RunningServe): Promise<void> {
  expect((await serve.stop()).exitCode).toBe(0);
}

describe("mcpproxy servers add | remove: bad input", () => {
  const CONFIG = `{\n  // mine\n  "mcpServers": [{ "name": "one", "command": "node" }]\n}\n`;

  it("exits 2 naming the field, and leaves the file byte for byte as it was", async () => {
    await engine.sandbox.writeConfig(CONFIG);
    const cases: [string[], RegExp][] = [
      [["servers", "add", "bad name!", "--", "node"], /mcpServers\[1\]\.name/],
      [["servers", "add", "two", "--network", "", "--", "node"], /network_mode/],
      [["servers", "add", "two", "--image", "UPPER case", "--", "node"], /isolation\.image/],
      [["servers", "add", "two", "--env", "1BAD=x", "--", "node"], /--env "1BAD=x"/],
      [
        ["servers", "add", "two", "--env", "NOT_SET_ANYWHERE_X", "--", "node"],
        /NOT_SET_ANYWHERE_X is not set/,
      ],
      [["servers", "add", "one", "--", "node"], /A server named "one" is already in/],
      [["servers", "remove", "nope"], /no server named "nope"/i],
      [["servers", "disable", "nope"], /no server named "nope"/i],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(engine.sandbox, args);
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 2 });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^fix: /m);
      expect(await readFile(engine.sandbox.configPath, "utf8")).toBe(CONFIG);
    }
  });

  it("writes only the given fields, keeps comments, and creates the config when there is none", async () => {
    const first = await runCli(engine.sandbox, ["servers", "add", "fresh", "--", "node", "-e", "1"]);
    expect(first.exitCode).toBe(0);
    expect((await serversOnDisk()).get("fresh")).toBe(true);
    // No isolation flag: no isolation block, the global switch decides.
    const fresh = parseConfig(await readFile(engine.sandbox.configPath, "utf8"));
    expect(fresh.ok && fresh.config.mcpServers.find((s) => s.name === "fresh")?.isolation).toBeUndefined();

    await engine.sandbox.writeConfig(CONFIG);
    const added = await runCli(
      engine.sandbox,
      [
        "servers",
        "add",
        "gh",
        "--isolate",
        "--image",
        "node:22",
        "--network",
        "none",
        "--env",
        "TOKEN",
        "--env",
        "MODE=x",
        "--",
        "npx",
        "-y",
        "pkg",
      ],
      { env: { TOKEN: "from-shell" } },
    );
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toContain('Added server "gh"');
    const text = await readFile(engine.sandbox.configPath, "utf8");
    expect(text).toContain("// mine");
    const parsed = parseConfig(text);
    expect(parsed.ok && parsed.config.mcpServers.find((s) => s.name === "gh")).toMatchObject({
      command: "npx",
      args: ["-y", "pkg"],
      env: { TOKEN: "from-shell", MODE: "x" },
      isolation: { enabled: true, image: "node:22", network_mode: "none" },
    });
    const noIsolate = await runCli(engine.sandbox, ["servers", "add", "host", "--no-isolate", "--", "node"]);
    expect(noIsolate.exitCode).toBe(0);
    const again = parseConfig(await readFile(engine.sandbox.configPath, "utf8"));
    expect(again.ok && again.config.mcpServers.find((s) => s.name === "host")?.isolation).toEqual({
      enabled: false,
    });
  });
});

describe("mcpproxy servers add | remove with a running proxy", () => {
  it(
    "a running proxy starts an added server and stops a removed one (hot reload)",
    { timeout: 300_000 },
    async () => {
      const name = uniqueName("add");
      port = await writeServeConfig(engine.sandbox, {
        api_key: API_KEY,
        docker_isolation: { enabled: true },
        mcpServers: [],
      });
      const serve = await startServe(engine.sandbox);
      try {
        const added = await runCli(engine.sandbox, [
          "servers",
          "add",
          name,
          "--isolate",
          "--image",
          engine.images.everything,
          "--network",
          "none",
          "--",
          "mcp-server-everything",
          "stdio",
        ]);
        expect(added.exitCode).toBe(0);
        const ready = await waitForServers(
          (servers) => servers.some((s) => s.name === name && s.state === "ready" && s.tool_count > 0),
          `${name} is ready`,
        );
        expect(ready.find((s) => s.name === name)?.isolation.container_name).toMatch(`mcpproxy-${name}-`);

        const removed = await runCli(engine.sandbox, ["servers", "remove", name]);
        expect(removed.exitCode).toBe(0);
        await waitForServers((servers) => !servers.some((s) => s.name === name), `${name} is gone`);
        // The removed server's container goes too (waited for: removal follows the stop).
        await waitFor(
          async () => (await containersWithLabel("io.mcpproxy.server", name)).length === 0,
          `the container of ${name} to be removed`,
        );
      } finally {
        await stopServe(serve);
        await removeContainers(await containersWithLabel("io.mcpproxy.server", name));
      }
    },
  );

  it(
    "100 concurrent toggles from REST and the CLI, plus concurrent adds: the file matches every success",
    { timeout: 400_000 },
    async () => {
      // Cheap host servers: `sleep` never answers MCP, it only has to run while enabled.
      const servers = Array.from({ length: 100 }, (_, i) => ({
        name: `t${i}`,
        command: "sleep",
        args: ["600"],
        enabled: false,
      }));
      port = await writeServeConfig(engine.sandbox, { api_key: API_KEY, mcpServers: servers });
      const serve = await startServe(engine.sandbox);
      try {
        const rest = Array.from({ length: 85 }, async (_, i) => {
          const response = await fetch(`http://127.0.0.1:${port}/api/v1/servers/t${i}/enable`, {
            method: "POST",
            headers: { "X-API-Key": API_KEY },
          });
          return { name: `t${i}`, ok: response.ok };
        });
        const cli = Array.from({ length: 15 }, async (_, j) => {
          const result = await runCli(engine.sandbox, ["servers", "enable", `t${85 + j}`]);
          return { name: `t${85 + j}`, ok: result.exitCode === 0 };
        });
        const adds = Array.from({ length: 3 }, async (_, k) => {
          const result = await runCli(engine.sandbox, ["servers", "add", `new${k}`, "--", "sleep", "600"]);
          return { name: `new${k}`, ok: result.exitCode === 0 };
        });
        const toggles = await Promise.all([...rest, ...cli]);
        const added = await Promise.all(adds);
        const onDisk = await serversOnDisk();
        for (const { name, ok } of toggles)
          expect({ name, enabled: onDisk.get(name) }).toEqual({ name, enabled: ok });
        for (const { name, ok } of added)
          expect({ name, present: onDisk.has(name) }).toEqual({ name, present: ok });
        // Every report here is a success on a quiet machine; the checks above hold either way.
        expect(toggles.filter((t) => t.ok).length).toBeGreaterThan(0);
        expect(added.every((a) => a.ok)).toBe(true);
      } finally {
        await stopServe(serve);
      }
    },
  );
});
