// Load: 500 concurrent call_tool requests from 10 MCP clients across 5
// isolated servers. Every response arrives, each matches its own request, and
// each upstream received exactly the calls meant for it: none lost, none
// delivered twice.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callThroughProxy, connectClient, textOf } from "../src/mcp.ts";
import type { ProxyProcess } from "../src/proxy-process.ts";
import { seededRandom } from "../src/random.ts";
import { fixtureServer, proxyConfig, uniqueName } from "../src/servers.ts";
import { startSuiteProxy, type SuiteProxy } from "../src/suite-proxy.ts";

const CLIENTS = 10;
const PER_CLIENT = 50;
const SERVERS = 5;

interface Outcome {
  message: string;
  server: string;
  text: string;
  isError: boolean;
}

describe("load: 500 concurrent calls, 10 clients, 5 isolated servers", () => {
  let suite: SuiteProxy | undefined;
  let proxy: ProxyProcess | undefined;
  const clients: Client[] = [];
  const names = Array.from({ length: SERVERS }, (_, i) => uniqueName(`load${i}`));

  beforeAll(async () => {
    const { node } = await ensureTestImages();
    const servers = names.map((name) => fixtureServer(name, { image: node }));
    suite = await startSuiteProxy(proxyConfig({ servers, logLevel: "warn" }), { ready: names });
    proxy = suite.proxy;
    for (let c = 0; c < CLIENTS; c++)
      clients.push(await connectClient(proxy.mcpUrl, proxy.apiKey, { name: `load-client-${c}` }));
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await suite?.close();
  });

  it("answers every request with its own response, exactly once", async () => {
    const random = seededRandom(500);
    const sent: { message: string; server: string }[] = [];
    const inFlight: Promise<Outcome>[] = [];
    for (const [c, client] of clients.entries()) {
      for (let r = 0; r < PER_CLIENT; r++) {
        const index = c * PER_CLIENT + r;
        const server = names[index % SERVERS] ?? "";
        const message = `client${c}-request${r}-${random().toString(36).slice(2)}`;
        sent.push({ message, server });
        // A random upstream delay so that answers come back out of order.
        const args = { message, delay_ms: Math.floor(random() * 40) };
        inFlight.push(
          callThroughProxy(client, `${server}:echo`, args, 90_000).then((result) => ({
            message,
            server,
            text: textOf(result),
            isError: result.isError === true,
          })),
        );
      }
    }
    expect(inFlight).toHaveLength(CLIENTS * PER_CLIENT);
    const settled = await Promise.allSettled(inFlight);

    const rejected = settled.filter((s) => s.status === "rejected");
    expect(rejected.map((s) => String(s.reason))).toEqual([]);
    const outcomes = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    expect(outcomes.filter((o) => o.isError)).toEqual([]);
    for (const outcome of outcomes) expect(outcome.text).toBe(`Echo: ${outcome.message}`);
    // Every request's answer is present once and only once.
    const answered = outcomes.map((o) => o.text.replace(/^Echo: /, ""));
    expect(new Set(answered).size).toBe(sent.length);
    expect([...answered].sort()).toEqual(sent.map((s) => s.message).sort());

    // Each upstream counted exactly the calls routed to it: nothing retried twice, nothing dropped.
    const reader = clients[0];
    if (reader === undefined) throw new Error("no client");
    for (const name of names) {
      const counted = await callThroughProxy(reader, `${name}:calls`, {});
      expect(textOf(counted), `echo calls received by ${name}`).toBe(
        String(sent.filter((s) => s.server === name).length),
      );
    }
  }, 180_000);
});
