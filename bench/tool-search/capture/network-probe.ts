// Preloaded (node --import) into every server while its tools are captured:
// records each outgoing TCP/UDP socket the server opens, so the capture can
// prove that listing tools needed no network. The capture also runs the server
// in an empty network namespace, where any such attempt fails.
import { subscribe } from "node:diagnostics_channel";
import { appendFileSync } from "node:fs";
import type { Socket } from "node:net";

const logPath = process.env.MCP_CAPTURE_PROBE_LOG;

function record(kind: string, detail: string): void {
  if (logPath) appendFileSync(logPath, `${JSON.stringify({ kind, detail })}\n`);
}

subscribe("net.client.socket", (message) => {
  const { socket } = message as { socket: Socket };
  record("tcp", "socket created");
  socket.on("connectionAttempt", (ip: string, port: number) => record("tcp", `${ip}:${port}`));
  socket.on("lookup", (_error: Error | null, address: string, _family: unknown, host: string) =>
    record("dns", `${host} -> ${address}`),
  );
});
subscribe("udp.socket", () => record("udp", "socket created"));
