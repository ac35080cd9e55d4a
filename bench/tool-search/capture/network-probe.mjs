// Preloaded (node --import) into every server while its tools are captured:
// records each outgoing TCP/UDP socket the server opens, so the capture can
// prove that listing tools needed no network. The capture also runs the server
// in an empty network namespace, where any such attempt fails.
import { appendFileSync } from "node:fs";
import { subscribe } from "node:diagnostics_channel";

const logPath = process.env.MCP_CAPTURE_PROBE_LOG;
function record(kind, detail) {
  if (logPath) appendFileSync(logPath, `${JSON.stringify({ kind, detail })}\n`);
}
subscribe("net.client.socket", ({ socket }) => {
  record("tcp", "socket created");
  socket.on("connectionAttempt", (ip, port) => record("tcp", `${ip}:${port}`));
  socket.on("lookup", (_error, address, _family, host) => record("dns", `${host} -> ${address}`));
});
subscribe("udp.socket", () => record("udp", "socket created"));
