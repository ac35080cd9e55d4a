import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createLogManager,
  logIsolationSetupSuccessful,
  logServerError,
  logServerStderr,
  MAX_STDERR_LINE_CHARS,
  type DiagnosticsError,
  type LogManager,
} from "../src/index.ts";

let dir: string;
const managers: LogManager[] = [];

function open(options: Partial<Parameters<typeof createLogManager>[0]> = {}): LogManager {
  const logs = createLogManager({ logDir: dir, level: "info", ...options });
  managers.push(logs);
  return logs;
}

function records(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-diag-logs-"));
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((logs) => logs.close()));
  await rm(dir, { recursive: true, force: true });
});

describe("createLogManager", () => {
  it("creates the log directory 0700 and every log file 0600, rotated ones included", async () => {
    const logDir = path.join(dir, "nested", "logs");
    const logs = open({ logDir, maxFileBytes: 2048, maxFiles: 2 });
    for (let i = 0; i < 200; i++)
      logs.server("rotating").info({ i }, "a line long enough to rotate the file soon");
    logs.main.info("hello");
    await logs.flush();
    await logs.close();
    expect((await stat(logDir)).mode & 0o777).toBe(0o700);
    const files = await readdir(logDir);
    expect(files).toEqual(
      expect.arrayContaining(["main.log", "server-rotating.log", "server-rotating.log.1"]),
    );
    for (const file of files) expect((await stat(path.join(logDir, file))).mode & 0o777, file).toBe(0o600);
  });

  it("writes JSON lines with an ISO time and a level label to main.log and server-<name>.log", async () => {
    const logs = open();
    logs.main.info({ port: 8080 }, "listening");
    logs.server("github").warn("slow start");
    await logs.flush();
    expect(logs.mainLogPath).toBe(path.join(dir, "main.log"));
    expect(logs.serverLogPath("github")).toBe(path.join(dir, "server-github.log"));

    const [main] = records(await readFile(logs.mainLogPath, "utf8"));
    expect(main).toMatchObject({ level: "info", msg: "listening", port: 8080 });
    expect(new Date(main?.["time"] as string).toISOString()).toBe(main?.["time"]);
    logs.server("github").info({ server: "github", phase: "x" }, "field given again");
    await logs.flush();
    const text = await readFile(logs.serverLogPath("github"), "utf8");
    const [server, again] = records(text);
    expect(server).toMatchObject({ level: "warn", msg: "slow start", server: "github" });
    expect(again).toMatchObject({ server: "github", phase: "x" });
    expect(text.split("\n")[1]?.match(/"server":/g)).toHaveLength(1);
  });

  it("returns the same logger per server and honours the level", async () => {
    const logs = open({ level: "warn" });
    expect(logs.server("a")).toBe(logs.server("a"));
    logs.server("a").info("hidden");
    logs.server("a").error("shown");
    logs.main.debug("hidden too");
    await logs.flush();
    expect(await logs.readServerLog("a")).toHaveLength(1);
    expect(await logs.readMainLog()).toEqual([]);

    const debug = open({ level: "debug", logDir: path.join(dir, "debug") });
    debug.main.debug("visible");
    expect(
      (await debug.readMainLog()).map((l) => JSON.parse(l) as { msg: string }).map((r) => r.msg),
    ).toEqual(["visible"]);
  });

  it("masks env values and api keys in logged objects", async () => {
    const logs = open();
    logs.main.info(
      { env: { GITHUB_TOKEN: "ghp_secret" }, server: { env: { K: "v" } }, api_key: "k1" },
      "cfg",
    );
    const text = (await logs.readMainLog()).join("\n");
    expect(text).not.toContain("ghp_secret");
    expect(text).not.toContain('"k1"');
    expect(records(text)[0]).toMatchObject({ env: { GITHUB_TOKEN: "***" }, server: { env: { K: "***" } } });
  });

  it("rotates by size and keeps at most maxFiles old files", async () => {
    const logs = open({ maxFileBytes: 2048, maxFiles: 2 });
    const log = logs.server("chatty");
    for (let i = 0; i < 200; i++) log.info({ i }, `line ${i} ${"x".repeat(40)}`);
    await logs.flush();
    const names = (await readdir(dir)).filter((n) => n.startsWith("server-chatty")).sort();
    expect(names).toEqual(["server-chatty.log", "server-chatty.log.1", "server-chatty.log.2"]);
    for (const name of names) {
      const size = (await readFile(path.join(dir, name))).length;
      expect(size).toBeLessThan(2048 + 200);
    }
    // The tail reads back across the rotation boundary, newest last.
    const current = records(await readFile(logs.serverLogPath("chatty"), "utf8"));
    expect(current.length).toBeLessThan(25);
    const tail = await logs.readServerLog("chatty", { tail: 25 });
    expect(tail.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(
      Array.from({ length: 25 }, (_, k) => 175 + k),
    );
  });

  it("mirrors the main log to a console stream, pretty or as JSON", async () => {
    const prettyOut = new PassThrough();
    let prettyText = "";
    prettyOut.on("data", (chunk: Buffer) => (prettyText += chunk.toString()));
    const pretty = open({ console: prettyOut, pretty: true });
    pretty.main.info({ server: "x" }, "Docker isolation enabled for server: x");
    pretty.server("x").info("not mirrored");
    await pretty.flush();
    expect(prettyText).toMatch(/INFO.*Docker isolation enabled for server: x/);
    expect(prettyText).not.toContain('{"level"');
    expect(prettyText).not.toContain("not mirrored");

    const jsonOut = new PassThrough();
    let jsonText = "";
    jsonOut.on("data", (chunk: Buffer) => (jsonText += chunk.toString()));
    const plain = open({ console: jsonOut, logDir: path.join(dir, "plain") });
    plain.main.info("hello");
    expect(records(jsonText)[0]).toMatchObject({ level: "info", msg: "hello" });
  });

  it("reads nothing for a server that never logged", async () => {
    const logs = open();
    expect(await logs.readServerLog("quiet")).toEqual([]);
  });

  it("fails with LOG_DIR_UNWRITABLE when the directory cannot be created", async () => {
    const file = path.join(dir, "a-file");
    await writeFile(file, "");
    expect(() => createLogManager({ logDir: path.join(file, "logs"), level: "info" })).toThrow(
      expect.objectContaining({ code: "LOG_DIR_UNWRITABLE" }) as DiagnosticsError,
    );
  });

  it("rejects bad options and empty server names", () => {
    expect(() => open({ maxFiles: 0 })).toThrow(RangeError);
    expect(() => open({ maxFileBytes: 1.5 })).toThrow(RangeError);
    const logs = open();
    expect(() => logs.server(" ")).toThrow(expect.objectContaining({ code: "INVALID_SERVER_NAME" }) as Error);
  });

  it("drops log calls after close and refuses new server logs", async () => {
    const logs = open();
    logs.main.info("before");
    logs.server("s").info("before");
    await logs.close();
    await logs.close();
    logs.main.info("after");
    logs.server("s").info("after");
    expect(() => logs.server("new")).toThrow(expect.objectContaining({ code: "LOGS_CLOSED" }) as Error);
    expect(records(await readFile(logs.mainLogPath, "utf8")).map((r) => r["msg"])).toEqual(["before"]);
    expect(records(await readFile(logs.serverLogPath("s"), "utf8")).map((r) => r["msg"])).toEqual(["before"]);
  });
});

const MB = 1024 * 1024;
const DROP_NOTICE =
  /^dropped (\d+) stderr lines \((\d+) bytes\) from server (\S+): the log could not keep up$/;

/** Every record of a log and its rotated files, oldest first. */
async function allRecords(logs: LogManager, name: string): Promise<Record<string, unknown>[]> {
  const base = path.basename(logs.serverLogPath(name));
  const rotated = (await readdir(dir))
    .filter((file) => file.startsWith(`${base}.`))
    .sort((a, b) => Number(b.slice(base.length + 1)) - Number(a.slice(base.length + 1)));
  const out: Record<string, unknown>[] = [];
  for (const file of [...rotated, base]) out.push(...records(await readFile(path.join(dir, file), "utf8")));
  return out;
}

function rss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

describe("server stderr floods", () => {
  it("drops stderr lines past maxPendingBytes, reports them once, and keeps the last one", async () => {
    const logs = open({ maxPendingBytes: 64 * 1024 });
    const line = "E".repeat(999);
    for (let i = 0; i < 1000; i++) logServerStderr(logs, "burst", `${i} ${line}`);
    logs.server("burst").error("proxy record during the burst");
    logServerStderr(logs, "burst", "last words");
    await logs.flush();
    logServerStderr(logs, "burst", "after the burst");
    await logs.flush();

    const all = await allRecords(logs, "burst");
    const notices = all.filter((r) => DROP_NOTICE.test(String(r["msg"])));
    expect(notices).toHaveLength(1);
    const [notice] = notices;
    expect(notice).toMatchObject({ level: "warn", server: "burst" });
    const stderr = all.filter((r) => r["stream"] === "stderr").map((r) => String(r["msg"]));
    expect(stderr.length).toBeLessThan(200);
    expect(stderr.length + Number(notice?.["dropped_lines"])).toBe(1002);
    expect(String(notice?.["msg"])).toContain(`(${String(notice?.["dropped_bytes"])} bytes)`);
    // Written lines are in order; the last dropped one follows the notice, then normal service.
    expect(stderr.slice(-2)).toEqual(["last words", "after the burst"]);
    expect(all.slice(-3).map((r) => r["msg"])).toEqual([notice?.["msg"], "last words", "after the burst"]);
    expect(all.some((r) => r["msg"] === "proxy record during the burst")).toBe(true);
  });

  it("truncates a huge stderr line with a marker", async () => {
    const logs = open();
    logServerStderr(logs, "wide", "W".repeat(MAX_STDERR_LINE_CHARS + 5000));
    const [line] = await logs.readServerLog("wide");
    const msg = String((JSON.parse(line ?? "{}") as { msg?: unknown }).msg);
    expect(msg.startsWith("W".repeat(MAX_STDERR_LINE_CHARS))).toBe(true);
    expect(msg.slice(MAX_STDERR_LINE_CHARS)).toBe("… [truncated 5000 characters]");
  });

  it("keeps memory bounded while a server writes 100 MB of stderr, and never drops the proxy's records", async () => {
    // Room for everything the flood can write, so no record rotates away.
    const logs = open({ maxFileBytes: 32 * MB, maxFiles: 8 });
    const name = "flood";
    const line = "E".repeat(1023);
    const linesPerTurn = 1024;
    const turns = 100;
    logServerStderr(logs, name, "warm up");
    await logs.flush();
    const before = rss();
    let peak = before;
    const proxyRecords: string[] = [];
    for (let turn = 0; turn < turns; turn++) {
      for (let i = 0; i < linesPerTurn; i++) logServerStderr(logs, name, line);
      if (turn % 10 === 5) {
        logIsolationSetupSuccessful(logs, name, { id: `c${turn}`, name: `container-${turn}` });
        logServerError(logs, name, new Error(`boom ${turn}`));
        proxyRecords.push(
          `Docker isolation setup successful for server: ${name}`,
          `Server ${name} failed: boom ${turn}`,
        );
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      // One turn of the event loop per chunk, like output arriving from a pipe.
      await new Promise((resolve) => setImmediate(resolve));
    }
    logServerStderr(logs, name, "flood done");
    await logs.flush();
    peak = Math.max(peak, rss());
    expect(peak - before, `RSS grew by ${((peak - before) / MB).toFixed(1)} MB`).toBeLessThan(64 * MB);

    const all = await allRecords(logs, name);
    const notices = all.filter((r) => DROP_NOTICE.test(String(r["msg"])));
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices) expect(notice).toMatchObject({ level: "warn", server: name });
    const dropped = notices.reduce((sum, r) => sum + Number(r["dropped_lines"]), 0);
    const written = all.filter((r) => r["stream"] === "stderr").length;
    expect(dropped).toBeGreaterThan(0);
    expect(written + dropped).toBe(1 + turns * linesPerTurn + 1);
    expect(all.at(-1)).toMatchObject({ stream: "stderr", msg: "flood done" });
    const messages = all.filter((r) => r["stream"] !== "stderr").map((r) => String(r["msg"]));
    expect(messages.filter((msg) => !DROP_NOTICE.test(msg))).toEqual(proxyRecords);
  });
});
