// ProcessStdioTransport over real child processes: JSON-RPC in and out,
// garbage lines dropped with an event, stderr kept apart and bounded.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { execa } from "execa";
import { waitFor } from "@mcpproxy/test-helpers";
import { describe, expect, it } from "vitest";
import { ProcessStdioTransport } from "../src/index.ts";
import { EVERYTHING_ENTRY } from "./helpers.ts";

/** A process that prints some lines, then echoes every stdin line back on stdout. */
function echoProcess(preamble: string): ReturnType<typeof execa> {
  const script = `${preamble}; require("readline").createInterface({ input: process.stdin }).on("line", (l) => process.stdout.write(l + "\\n"));`;
  return execa(process.execPath, ["-e", script], { buffer: false, reject: false });
}

describe("ProcessStdioTransport", () => {
  it("is a transport the SDK Client can use", async () => {
    const child = execa(process.execPath, [EVERYTHING_ENTRY, "stdio"], { buffer: false, reject: false });
    const transport = new ProcessStdioTransport(child);
    const client = new Client({ name: "transport-test", version: "0.0.0" });
    await client.connect(transport);
    const result = await client.callTool({ name: "echo", arguments: { message: "direct" } });
    expect(result.content).toEqual([{ type: "text", text: "Echo: direct" }]);
    await client.close();
    const ended = await child;
    expect(ended.exitCode).toBe(0); // stdin EOF ended the server
  });

  it("delivers messages sent before start(), drops garbage lines with an event, and keeps going", async () => {
    const child = echoProcess(
      `process.stdout.write('not json\\n{"jsonrpc":"2.0","method":"early"}\\n{"half":\\n\\n[1,2]\\n')`,
    );
    const transport = new ProcessStdioTransport(child, { maxMessageBytes: 64 });
    const garbage: string[] = [];
    const messages: JSONRPCMessage[] = [];
    transport.on("stdout-garbage", (line) => garbage.push(line));
    await waitFor(() => garbage.length === 3 || undefined, "three garbage lines");
    transport.onmessage = (message) => messages.push(message);
    await transport.start();
    expect(messages).toEqual([{ jsonrpc: "2.0", method: "early" }]);
    expect(garbage).toEqual(["not json", '{"half":', "[1,2]"]);

    await transport.send({ jsonrpc: "2.0", id: 1, method: "ping" });
    await transport.send({ jsonrpc: "2.0", method: "x".repeat(100) });
    await transport.send({ jsonrpc: "2.0", id: 2, method: "ping" });
    await waitFor(() => messages.length === 3 || undefined, "two echoed messages");
    expect(messages.slice(1)).toEqual([
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", id: 2, method: "ping" },
    ]);
    expect(garbage[3]).toMatch(/^\{"jsonrpc":"2\.0","method":"x+ \(line too long, dropped\)$/);

    let closed = 0;
    transport.onclose = () => (closed += 1);
    await transport.close();
    await child;
    expect(closed).toBe(1);
    await expect(transport.send({ jsonrpc: "2.0", id: 3, method: "ping" })).rejects.toThrow(/closed/);
  });

  it("keeps stderr apart, line by line, in a bounded buffer", async () => {
    const child = echoProcess(
      `for (let i = 1; i <= 10; i++) process.stderr.write("log " + i + "\\n"); process.stderr.write("partial")`,
    );
    const transport = new ProcessStdioTransport(child, { stderrLines: 4 });
    const lines: string[] = [];
    transport.on("stderr", (line) => lines.push(line));
    await transport.start();
    transport.end();
    await child;
    await waitFor(() => lines.length === 11 || undefined, "11 stderr lines");
    expect(lines.slice(0, 3)).toEqual(["log 1", "log 2", "log 3"]);
    expect(lines.at(-1)).toBe("partial");
    expect(transport.stderrTail()).toEqual(["log 8", "log 9", "log 10", "partial"]);
    expect(transport.stderrTail(2)).toEqual(["log 10", "partial"]);
  });

  it("tells its owner about close() but not about end(), and closes when the process exits", async () => {
    let requested = 0;
    const child = echoProcess("");
    const transport = new ProcessStdioTransport(child, { onCloseRequested: () => (requested += 1) });
    await transport.start();
    transport.end();
    await transport.close();
    expect(requested).toBe(0);

    const other = echoProcess("");
    const second = new ProcessStdioTransport(other, { onCloseRequested: () => (requested += 1) });
    let closed = false;
    second.onclose = () => (closed = true);
    await second.start();
    other.kill("SIGKILL");
    await other;
    await waitFor(() => closed || undefined, "onclose after the process died");
    await second.close();
    expect(requested).toBe(0);
    expect(second.closed).toBe(true);

    const third = echoProcess("");
    const transport3 = new ProcessStdioTransport(third, { onCloseRequested: () => (requested += 1) });
    await transport3.start();
    await transport3.close();
    await third;
    expect(requested).toBe(1);
  });
});
