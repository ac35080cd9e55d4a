// The pretty console mirror: pino-pretty is loaded with the first line, and lines
// written before and after it is loaded come out rendered, in order.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { prettyConsole } from "../src/pretty-console.ts";

const line = (msg: string): string =>
  `${JSON.stringify({ level: 30, time: Date.UTC(2026, 11, 1, 8, 0, 0), pid: 1, msg })}\n`;

describe("prettyConsole", () => {
  it("renders the lines written while pino-pretty loads, then later ones, in order", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const mirror = prettyConsole(out, false);
    mirror.write(line("first"));
    mirror.write(line("second"));
    expect(text).toBe("");
    await mirror.settled();
    mirror.write(line("third"));
    const rendered = text.trimEnd().split("\n");
    expect(rendered).toHaveLength(3);
    expect(rendered.map((entry) => /INFO.*: (\w+)$/.exec(entry)?.[1])).toEqual(["first", "second", "third"]);
    expect(text).not.toContain('"level"');
  });

  it("is settled at once when nothing was written (pino-pretty is never loaded)", async () => {
    const mirror = prettyConsole(new PassThrough(), false);
    await expect(mirror.settled()).resolves.toBeUndefined();
  });
});
