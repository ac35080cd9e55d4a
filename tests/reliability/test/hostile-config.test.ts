// Hostile config: 1000 seeded random mutations of a valid config. Loading never
// throws; an invalid file gives clear, bounded errors and startProxy refuses it
// with CONFIG_INVALID; a valid one starts (servers listed, clean stop). The file
// is never modified, and no injection string ever reaches a shell.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig, type ConfigResult } from "@mcpproxy/config";
import { ProxyError, startProxy } from "@mcpproxy/server";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listServers } from "../src/mcp.ts";
import { mutateConfig, type Json, type Mutant } from "../src/mutate.ts";
import { fixtureServer, fixtureServerFile, proxyConfig, tempDir, type TempDir } from "../src/servers.ts";

const MUTANTS = 1000;
/** Valid mutants actually started (each start is a real proxy with real upstream processes). */
const MAX_STARTS = 30;
const MAX_MESSAGE_CHARS = 2_000;

interface Fingerprint {
  sha256: string;
  mtimeMs: number;
  size: number;
}

async function fingerprint(file: string): Promise<Fingerprint> {
  const [bytes, info] = await Promise.all([readFile(file), stat(file)]);
  return { sha256: createHash("sha256").update(bytes).digest("hex"), mtimeMs: info.mtimeMs, size: info.size };
}

function describeMutant(mutant: Mutant): string {
  return `seed ${mutant.seed} (${mutant.steps.join("; ")})`;
}

/** Problems with one load result; [] when it is a clear error or a valid config. */
function unclear(result: ConfigResult): string[] {
  if (result.ok) return [];
  const problems: string[] = [];
  if (result.errors.length === 0) problems.push("ok: false without any error");
  for (const issue of result.errors) {
    if (typeof issue.message !== "string" || issue.message.trim() === "")
      problems.push("an error without a message");
    else if (issue.message.length > MAX_MESSAGE_CHARS)
      problems.push(`an error message of ${issue.message.length} chars`);
    if (!/^[A-Z][A-Z_]+$/.test(issue.code)) problems.push(`an error code ${JSON.stringify(issue.code)}`);
    if (typeof issue.path !== "string") problems.push("an error without a path");
  }
  return problems;
}

/** Failures grouped by what went wrong: a count and the first seeds of each kind. */
function summarize(failures: string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const failure of failures) {
    const kind = failure
      .replace(/^seed \d+ \(.*?\): /s, "")
      .replace(/\d+ chars/, "N chars")
      .slice(0, 160);
    groups.set(kind, [...(groups.get(kind) ?? []), failure]);
  }
  return [...groups.entries()].map(
    ([kind, list]) =>
      `${list.length}× ${kind} — e.g. ${list
        .slice(0, 3)
        .map((f) => f.slice(0, 300))
        .join(" | ")}`,
  );
}

describe("hostile config: 1000 seeded mutations", () => {
  let temp: TempDir;
  let canary: string;
  let base: Json;
  const savedDockerHost = process.env.DOCKER_HOST;

  beforeAll(async () => {
    const { node, everything } = await ensureTestImages();
    temp = await tempDir();
    canary = path.join(temp.dir, "INJECTED");
    base = proxyConfig({
      apiKey: "hostile-config-test-key",
      everythingImage: everything,
      logLevel: "warn",
      servers: [
        {
          ...fixtureServer("iso", { image: node, isolation: { extra_args: ["--pids-limit=64"] } }),
          env: { FIXTURE_MODE: "iso" },
        },
        {
          name: "host",
          command: process.execPath,
          args: [fixtureServerFile],
          env: { FIXTURE_MODE: "host" },
          isolation: { enabled: false },
        },
      ],
    }) as Json;
    // Valid mutants start for real, but against an engine that does not exist: a mutated image
    // name must never reach a registry, and no container may start with mutated flags.
    process.env.DOCKER_HOST = `unix://${path.join(temp.dir, "no-engine.sock")}`;
  });

  afterAll(async () => {
    if (savedDockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedDockerHost;
    await temp.remove();
  });

  it("the unmutated base config is valid (so the mutations start from a real config)", async () => {
    const file = path.join(temp.dir, "base.json");
    await writeFile(file, JSON.stringify(base, null, 2));
    const result = await loadConfig(file);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each([5_000, 100_000])(
    "gives a clear error, not a stack overflow, for JSON nested %i levels deep",
    async (depth) => {
      const file = path.join(temp.dir, `deep-${depth}.json`);
      for (const nested of [
        "[".repeat(depth) + "]".repeat(depth),
        '{"a":'.repeat(depth) + "null" + "}".repeat(depth),
      ]) {
        await writeFile(
          file,
          `{"listen": "127.0.0.1:8080", "mcpServers": [{"name": "a", "command": "node", "args": ${nested}}]}`,
        );
        const result = await loadConfig(file);
        expect(result.ok).toBe(false);
        expect(unclear(result)).toEqual([]);
      }
    },
  );

  it("keeps every error message short, even when the offending value is 1 MB", async () => {
    const file = path.join(temp.dir, "huge.json");
    const huge = "a".repeat(1_000_000);
    const config = {
      listen: "127.0.0.1:8080",
      docker_isolation: { extra_args: huge, memory_limit: ` ${huge} ` },
      mcpServers: [
        { name: "a", command: "node", args: huge, env: huge, isolation: { extra_args: huge, image: huge } },
      ],
    };
    await writeFile(file, JSON.stringify(config));
    const result = await loadConfig(file);
    expect(result.ok).toBe(false);
    expect(unclear(result)).toEqual([]);
  });

  it("never crashes: a clear error or a valid start, and the file is never modified", async () => {
    const file = path.join(temp.dir, "mcp_config.json");
    const failures: string[] = [];
    let valid = 0;
    let started = 0;
    for (let seed = 1; seed <= MUTANTS; seed++) {
      const mutant = mutateConfig(base, seed, canary);
      await writeFile(file, mutant.content);
      const before = await fingerprint(file);
      const fail = (what: string) => failures.push(`${describeMutant(mutant)}: ${what}`);

      let result: ConfigResult;
      try {
        result = await loadConfig(file);
      } catch (error) {
        fail(`loadConfig threw ${String(error)}`);
        continue;
      }
      for (const problem of unclear(result)) fail(problem);

      if (!result.ok) {
        try {
          const proxy = await startProxy({
            configPath: file,
            listen: "127.0.0.1:0",
            logDir: temp.dir,
            console: false,
          });
          await proxy.stop();
          fail("startProxy accepted a config that loadConfig rejected");
        } catch (error) {
          if (!(error instanceof ProxyError) || error.code !== "CONFIG_INVALID") {
            fail(`startProxy failed with ${String(error)} instead of a CONFIG_INVALID ProxyError`);
          } else if (!error.message.includes(file)) {
            fail("the CONFIG_INVALID message does not name the file");
          }
        }
      } else {
        valid += 1;
        if (started < MAX_STARTS) {
          started += 1;
          try {
            const proxy = await startProxy({
              configPath: file,
              listen: "127.0.0.1:0",
              logDir: path.join(temp.dir, `logs-${seed}`),
              console: false,
              restart: { maxRestarts: 0 },
            });
            try {
              if (proxy.apiKey === undefined && !result.config.allow_loopback_without_key) {
                // A mutation removed api_key: every request is refused, by design.
                const refused = await listServers(proxy.url, undefined).then(
                  () => "answered",
                  (error: unknown) => String(error),
                );
                if (!refused.includes("401")) fail(`a config without api_key answered REST: ${refused}`);
              } else {
                const servers = await listServers(proxy.url, proxy.apiKey);
                const names = result.config.mcpServers.map((s) => s.name).sort();
                if (JSON.stringify(servers.map((s) => s.name).sort()) !== JSON.stringify(names)) {
                  fail(`REST lists ${servers.length} servers, the config has ${names.length}`);
                }
              }
            } finally {
              await proxy.stop();
            }
          } catch (error) {
            fail(`a valid config did not start: ${String(error)}`);
          }
        }
      }

      const after = await fingerprint(file);
      if (JSON.stringify(after) !== JSON.stringify(before)) fail("the config file was modified");
    }

    expect(summarize(failures)).toEqual([]);
    expect(existsSync(canary), "an injection string was executed by a shell").toBe(false);
    // The mutations must exercise both outcomes, or the test proves little.
    expect(valid).toBeGreaterThan(MAX_STARTS);
    expect(MUTANTS - valid).toBeGreaterThan(MUTANTS / 2);
  }, 300_000);
});
