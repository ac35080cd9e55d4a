// One Engine API client per endpoint environment, shared by every call of a run.
import { endpointKey } from "./docker-cli.ts";
import { EngineClient } from "./engine-api/client.ts";
import { engineHealthOf } from "./engine-health.ts";
import type { DockerCliOptions } from "./types.ts";

const clients = new Map<string, EngineClient>();

/** One client per endpoint environment (the pinned DOCKER_HOST / DOCKER_CONTEXT of a run); throws EngineApiError. */
export function engineClientFor(docker: DockerCliOptions | undefined): EngineClient {
  const env = { ...process.env, ...docker?.env };
  const key = `${env["DOCKER_HOST"] ?? ""}\n${env["DOCKER_CONTEXT"] ?? ""}\n${env["DOCKER_CONFIG"] ?? ""}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = new EngineClient({ env, health: engineHealthOf(endpointKey(docker)) });
    clients.set(key, client);
  }
  return client;
}
