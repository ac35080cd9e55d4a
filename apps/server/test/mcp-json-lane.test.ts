// The JSON lane's own session: it is initialized with the client's initialize
// and the initialized notification (the SDK's Server sees both), and answers a
// request of the session with one application/json body.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema, LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { openJsonLane } from "../src/mcp-json-lane.ts";

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "lane-test", version: "1.0.0" },
  },
};

function laneServer(): { server: Server; initialized: () => boolean } {
  const server = new Server({ name: "lane", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
  let initialized = false;
  server.oninitialized = () => {
    initialized = true;
  };
  return { server, initialized: () => initialized };
}

/** Just enough of a ServerResponse to read what the lane wrote. */
function recordingResponse(): { res: ServerResponse; written: () => { status: number; body: string } } {
  let status = 0;
  let body = "";
  const res = {
    destroyed: false,
    headersSent: false,
    writeHead(code: number) {
      status = code;
      return res;
    },
    end(text: string) {
      body = text;
    },
  };
  return { res: res as unknown as ServerResponse, written: () => ({ status, body }) };
}

describe("openJsonLane", () => {
  it("delivers the initialized notification to its Server, with the session id", async () => {
    const { server, initialized } = laneServer();
    const lane = await openJsonLane(server, "session-1", INITIALIZE);
    try {
      expect(initialized()).toBe(true);
    } finally {
      await lane.close();
    }
  });

  it("answers a request of the session with one JSON body", async () => {
    const { server } = laneServer();
    const lane = await openJsonLane(server, "session-2", INITIALIZE);
    try {
      const req = {
        method: "POST",
        headers: {
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          "mcp-session-id": "session-2",
          "mcp-protocol-version": LATEST_PROTOCOL_VERSION,
        },
      } as unknown as IncomingMessage;
      const { res, written } = recordingResponse();
      await lane.answer(req, res, { jsonrpc: "2.0", id: 7, method: "tools/list" });
      expect(written().status).toBe(200);
      expect(JSON.parse(written().body)).toEqual({ jsonrpc: "2.0", id: 7, result: { tools: [] } });
    } finally {
      await lane.close();
    }
  });
});
