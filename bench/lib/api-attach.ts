// The container's stdio as the proxy itself reaches it: lifecycle's startServer
// creates and attaches the container through the Engine API (no docker CLI
// process in between) and hands back the SDK client it initialized. Its echo
// round trip is the upstream half of the floor of a warm call through /mcp.
import { randomBytes } from "node:crypto";
import { parseConfig, resolveIsolation, type ServerConfig } from "@mcpproxy/config";
import { startServer, type Client } from "@mcpproxy/lifecycle";
import { isolatedEverythingConfig } from "./clients.ts";
import { BenchError } from "./exec.ts";

export interface ApiAttachedServer {
  client: Client;
  close(): Promise<void>;
}

/** One isolated everything server, configured as the proxy's in the bench, started by lifecycle over the Engine API. */
export async function connectApiAttached(image: string): Promise<ApiAttachedServer> {
  const parsed = parseConfig(JSON.stringify(isolatedEverythingConfig(image, ["attached"])));
  if (!parsed.ok) throw new BenchError("the API-attach bench config is invalid");
  const server = parsed.config.mcpServers[0] as ServerConfig;
  const handle = await startServer(server, resolveIsolation(parsed.config, server), {
    instanceId: `bench-attach-${randomBytes(4).toString("hex")}`,
    containerLaunch: "api",
  });
  const client = handle.client;
  if (client === undefined || handle.launchedVia !== "api") {
    await handle.stop();
    throw new BenchError(
      `the API-attached server is ${handle.state}, launched via ${handle.launchedVia ?? "nothing"}`,
    );
  }
  return { client, close: () => handle.stop() };
}
