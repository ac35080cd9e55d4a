import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { lazyMcpEndpoint } from "../src/lazy-mcp-endpoint.ts";
import type { McpEndpoint } from "../src/mcp-endpoint.ts";

/** An endpoint that records calls and refuses requests once closed, like the real one. */
function recordingEndpoint(calls: string[]): McpEndpoint {
  let closed = false;
  return {
    handleHttp: () => {
      calls.push(closed ? "refused" : "handled");
      return Promise.resolve();
    },
    connectStdio: () => {
      calls.push("stdio");
      return Promise.resolve({ closed: new Promise<void>(() => undefined) });
    },
    notifyToolsChanged: () => void calls.push("notified"),
    get sessionCount() {
      return 2;
    },
    get pendingCount() {
      return 1;
    },
    close: () => {
      closed = true;
      calls.push("closed");
      return Promise.resolve();
    },
  };
}

const req = {} as IncomingMessage;
const res = {} as ServerResponse;

describe("lazyMcpEndpoint", () => {
  it("creates the endpoint on the first request, once", async () => {
    const calls: string[] = [];
    let creates = 0;
    const endpoint = lazyMcpEndpoint(() => {
      creates += 1;
      return Promise.resolve(recordingEndpoint(calls));
    });
    endpoint.notifyToolsChanged();
    expect([endpoint.sessionCount, endpoint.pendingCount, creates]).toEqual([0, 0, 0]);

    await Promise.all([endpoint.handleHttp(req, res, undefined), endpoint.handleHttp(req, res, undefined)]);
    endpoint.notifyToolsChanged();
    expect([endpoint.sessionCount, endpoint.pendingCount, creates]).toEqual([2, 1, 1]);
    await endpoint.close();
    expect(calls).toEqual(["handled", "handled", "notified", "closed"]);
  });

  it("closes without creating it, and one created by a late request is closed before it answers", async () => {
    const calls: string[] = [];
    let creates = 0;
    const endpoint = lazyMcpEndpoint(() => {
      creates += 1;
      return Promise.resolve(recordingEndpoint(calls));
    });
    await endpoint.close();
    expect(creates).toBe(0);
    await endpoint.handleHttp(req, res, undefined);
    expect(calls).toEqual(["closed", "refused"]);
  });
});
