// Following a log file (rest/log-follow.ts) on the real file system: the last
// lines first, appended lines as they come (a line split between writes, a
// UTF-8 character split between reads), and a rotation.
import { appendFile, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { followLogFile, type LogFollower } from "../src/rest/log-follow.ts";

const record = (msg: string) => `${JSON.stringify({ time: "2026-01-01T00:00:00Z", level: "info", msg })}\n`;

/** Reads until `count` lines came (each read waits for a change first). */
async function readLines(follower: LogFollower, count: number): Promise<string[]> {
  const lines: string[] = [];
  while (lines.length < count) {
    await follower.changed();
    lines.push(...(await follower.read()));
  }
  return lines;
}

describe("followLogFile", () => {
  let dir: string;
  let file: string;
  let follower: LogFollower | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-follow-"));
    file = path.join(dir, "server-x.log");
  });
  afterEach(async () => {
    follower?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("starts with the last lines, formatted, then gives each appended line once", async () => {
    await writeFile(file, ["one", "two", "three"].map(record).join(""));
    follower = await followLogFile(file, 2);
    expect(follower.initial).toEqual(["2026-01-01T00:00:00Z INFO two", "2026-01-01T00:00:00Z INFO three"]);
    expect(await follower.read()).toEqual([]);
    await appendFile(file, record("four"));
    expect(await readLines(follower, 1)).toEqual(["2026-01-01T00:00:00Z INFO four"]);
  });

  it("holds a line back until its newline is written, and keeps a split UTF-8 character whole", async () => {
    await writeFile(file, "");
    follower = await followLogFile(file, 10);
    expect(follower.initial).toEqual([]);
    const bytes = Buffer.from("naïve ✓ plain line\n", "utf8");
    const split = bytes.indexOf(Buffer.from("✓", "utf8")) + 1;
    await appendFile(file, bytes.subarray(0, split));
    expect(await follower.read()).toEqual([]);
    await appendFile(file, bytes.subarray(split));
    expect(await readLines(follower, 1)).toEqual(["naïve ✓ plain line"]);
  });

  it("follows into the new file after a rotation", async () => {
    await writeFile(file, record("old"));
    follower = await followLogFile(file, 10);
    await rename(file, `${file}.1`);
    await writeFile(file, record("new one") + record("new two"));
    expect(await readLines(follower, 2)).toEqual([
      "2026-01-01T00:00:00Z INFO new one",
      "2026-01-01T00:00:00Z INFO new two",
    ]);
  });

  it("takes the first lines from the rotated file too when the current one has fewer", async () => {
    await writeFile(`${file}.1`, ["a", "b", "c"].map(record).join(""));
    await writeFile(file, record("d"));
    follower = await followLogFile(file, 3);
    expect(follower.initial.map((l) => l.split(" ").at(-1))).toEqual(["b", "c", "d"]);
  });

  it("waits for a file that does not exist yet", async () => {
    follower = await followLogFile(file, 10);
    expect(follower.initial).toEqual([]);
    await writeFile(file, record("first"));
    expect(await readLines(follower, 1)).toEqual(["2026-01-01T00:00:00Z INFO first"]);
  });
});
