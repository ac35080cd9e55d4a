// A reader that goes away before the CLI is done (`mcpproxy config schema | head -1`):
// the command stops quietly, no EPIPE stack trace; `serve` keeps serving.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSandbox,
  serveRest,
  spawnCli,
  watchOutput,
  writeServeConfig,
  type Sandbox,
} from "./run-cli.ts";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(async () => {
  await sandbox.cleanup();
});

describe("a closed stdout or stderr", () => {
  it("ends a command quietly with its own exit code", async () => {
    const run = spawnCli(sandbox, ["config", "schema"]);
    // The read end closes before the first write: every write of the schema meets EPIPE.
    run.stdout.destroy();
    const result = await run;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).not.toMatch(/EPIPE|Error|at /);
  });

  it("does not stop serve: the proxy keeps answering and stops cleanly on SIGTERM", async () => {
    const apiKey = "k".repeat(32);
    const port = await writeServeConfig(sandbox, { mcpServers: [], api_key: apiKey });
    const serve = spawnCli(sandbox, ["serve"], { timeoutMs: 100_000 });
    const stderr = watchOutput(serve.stderr);
    serve.stdout.destroy();
    await stderr.waitFor(/mcpproxy ready/);
    // The Ready lines met EPIPE right after the ready log line, before the proxy could accept a request.
    for (let request = 0; request < 2; request += 1) {
      expect(await serveRest(port, apiKey, "/servers")).toEqual({ servers: [] });
    }
    serve.kill("SIGTERM");
    const result = await serve;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).not.toMatch(/EPIPE/);
  });

  it("stops serve cleanly when stderr closed before the stop (its stop messages have nowhere to go)", async () => {
    const apiKey = "k".repeat(32);
    const port = await writeServeConfig(sandbox, { mcpServers: [], api_key: apiKey });
    const serve = spawnCli(sandbox, ["serve"], { timeoutMs: 100_000 });
    await watchOutput(serve.stdout).waitFor(/Ready: /);
    serve.stderr.destroy();
    expect(await serveRest(port, apiKey, "/servers")).toEqual({ servers: [] });
    // "SIGTERM received, stopping…" and the stop's log lines meet EPIPE: the stop must still finish.
    serve.kill("SIGTERM");
    const result = await serve;
    expect(result.exitCode).toBe(0);
  });
});
