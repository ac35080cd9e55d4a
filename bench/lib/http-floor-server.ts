// The floor of any HTTP hop in front of an MCP server, run as its own process by
// http-floor.ts: a Streamable HTTP endpoint that answers at once with no upstream
// behind it (initialize, tools/list with one `echo` tool, tools/call echoing its
// message). The bench client's round trip to it is what no HTTP proxy can go
// below on this machine; a proxy also pays its upstream's own round trip.
import http from "node:http";

interface JsonRpcRequest {
  id?: string | number;
  method: string;
  params?: { protocolVersion?: string; arguments?: { message?: string } };
}

function answer(request: JsonRpcRequest): unknown {
  switch (request.method) {
    case "initialize":
      return {
        protocolVersion: request.params?.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: "http-floor", version: "1.0.0" },
      };
    case "tools/list":
      return {
        tools: [
          { name: "echo", inputSchema: { type: "object", properties: { message: { type: "string" } } } },
        ],
      };
    case "tools/call":
      return { content: [{ type: "text", text: `Echo: ${request.params?.arguments?.message ?? ""}` }] };
    default:
      return {};
  }
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST") {
    // No standalone SSE stream: the SDK client accepts a 405 for its GET.
    res.writeHead(405).end();
    return;
  }
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    const request = JSON.parse(body) as JsonRpcRequest;
    if (request.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const text = JSON.stringify({ jsonrpc: "2.0", id: request.id, result: answer(request) });
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "mcp-session-id": "http-floor",
    });
    res.end(text);
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address !== null && typeof address === "object") process.stdout.write(`${address.port}\n`);
});
