// What `mcpproxy serve` loads at start: the chunks its command module imports
// statically, bundled with the binary's own options. What an empty config does
// not use must stay behind a dynamic import (apps/server loads it on first use).
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { BIN_BUNDLE_OPTIONS } from "../../scripts/bundle-options.ts";

/** Source files in the chunks `entry` loads before it runs, following static imports only. */
function loadedAtStart(metafile: Metafile, entry: string): string[] {
  const outputs = metafile.outputs;
  const start = Object.keys(outputs).find((name) =>
    Object.keys(outputs[name]?.inputs ?? {}).some((input) => input.endsWith(entry)),
  );
  if (start === undefined) throw new Error(`no output chunk holds ${entry}`);
  const seen = new Set<string>();
  const queue = [start];
  for (let chunk = queue.pop(); chunk !== undefined; chunk = queue.pop()) {
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    for (const imported of outputs[chunk]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) queue.push(imported.path);
    }
  }
  return [...seen].flatMap((chunk) => Object.keys(outputs[chunk]?.inputs ?? {}));
}

describe("the bundled binary", () => {
  it("loads neither the engine client, the docker CLI runner, the MCP SDK server and tools, Hono nor the doctor when `serve` starts", async () => {
    const result = await build({ ...BIN_BUNDLE_OPTIONS, write: false, metafile: true, minify: false });
    const atStart = loadedAtStart(result.metafile, "src/commands/serve.ts");

    // What the start needs is there: the proxy, the engine probe (`GET /version`), the config schema.
    for (const needed of ["server/src/proxy.ts", "lifecycle/src/engine-info.ts", "config/src/schema.ts"]) {
      expect(atStart.some((input) => input.endsWith(needed))).toBe(true);
    }
    const heavy = [
      "node_modules/docker-modem/",
      // The docker CLI (execa) answers only for podman, ssh endpoints and the doctor.
      "node_modules/execa/",
      // The console is a terminal only when a person watches; then it loads beside the start.
      "node_modules/pino-pretty/",
      // The orphan sweep begins after ready.
      "server/src/orphan-sweep.ts",
      "node_modules/ajv/",
      "node_modules/hono/",
      // Nothing of the MCP SDK: its protocol schemas (zod, ~10 ms) load with the first server start.
      "@modelcontextprotocol/sdk/",
      "lifecycle/src/engine-api/client.ts",
      "server/src/rest-api.ts",
      "server/src/mcp-endpoint.ts",
      "server/src/mcp-tools.ts",
      "node_modules/minisearch/",
      "server/src/doctor.ts",
    ];
    expect(heavy.filter((marker) => atStart.some((input) => input.includes(marker)))).toEqual([]);
    // …and each is in the bundle, loaded on first use.
    const all = Object.keys(result.metafile.inputs);
    expect(heavy.filter((marker) => !all.some((input) => input.includes(marker)))).toEqual([]);
  }, 60_000);

  it("leaves ssh2 out: docker-modem's ssh transport refuses, naming the CLI path", async () => {
    const result = await build({ ...BIN_BUNDLE_OPTIONS, write: false, metafile: true, minify: false });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.includes("node_modules/ssh2/"))).toEqual([]);
    expect(inputs.filter((input) => input.includes("node_modules/docker-modem/lib/ssh.js"))).toEqual([]);
    expect(inputs).toContain("docker-modem-no-ssh:ssh");
    // docker-modem is still there (the Engine API client), its ssh agent replaced by the refusal.
    expect(inputs.some((input) => input.includes("node_modules/docker-modem/lib/modem.js"))).toBe(true);
    const bundled = result.outputFiles.map((file) => file.text).join("\n");
    expect(bundled).toContain("ssh:// Docker endpoints are reached through the docker CLI");
  }, 60_000);
});
