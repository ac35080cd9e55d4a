// A minimal Engine API client for the equivalence test: undici (the HTTP client
// inside Node's fetch) over the engine's unix socket. Test-only; lifecycle gets
// its own engine client.
import { Agent, request } from "undici";
import type { CreateRequest } from "../src/render-api.ts";

const API_VERSION = "v1.41";

/** The unix socket of DOCKER_HOST, or the default socket. */
export function engineSocket(): string {
  const host = process.env.DOCKER_HOST;
  if (host === undefined || host === "") return "/var/run/docker.sock";
  if (!host.startsWith("unix://"))
    throw new Error(`the equivalence test needs a unix socket; DOCKER_HOST is ${host}`);
  return host.slice("unix://".length);
}

export function engineAgent(): Agent {
  return new Agent({ connect: { socketPath: engineSocket() } });
}

/** POST /containers/create; returns the new container's id. */
export async function createContainer(agent: Agent, create: CreateRequest, name: string): Promise<string> {
  const response = await request(
    `http://docker/${API_VERSION}/containers/create?name=${encodeURIComponent(name)}`,
    {
      method: "POST",
      dispatcher: agent,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(create.body),
    },
  );
  const text = await response.body.text();
  if (response.statusCode !== 201) throw new Error(`create ${name}: HTTP ${response.statusCode} ${text}`);
  return (JSON.parse(text) as { Id: string }).Id;
}
