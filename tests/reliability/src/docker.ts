// The docker CLI for assertions, against the shared engine or a private one
// (DOCKER_HOST). Independent of the product's lifecycle code on purpose: the
// tests check what the engine really holds.
import { execa } from "execa";

export interface EngineTarget {
  /** unix:///... of a private engine; undefined for the shared default engine. */
  dockerHost?: string | undefined;
}

function dockerEnv(target: EngineTarget): Record<string, string> | undefined {
  return target.dockerHost === undefined ? undefined : { DOCKER_HOST: target.dockerHost };
}

/** Ids of every container (running or not) carrying `io.mcpproxy.instance=<id>`. */
export async function containersOfInstance(instanceId: string, target: EngineTarget = {}): Promise<string[]> {
  const { stdout } = await execa(
    "docker",
    ["ps", "-aq", "--no-trunc", "--filter", `label=io.mcpproxy.instance=${instanceId}`],
    { env: dockerEnv(target), timeout: 30_000 },
  );
  return stdout.split("\n").filter(Boolean);
}

/** Force-removes containers (test cleanup after a failure); ignores ones already gone. */
export async function forceRemove(ids: string[], target: EngineTarget = {}): Promise<void> {
  if (ids.length === 0) return;
  await execa("docker", ["rm", "-f", ...ids], { env: dockerEnv(target), reject: false, timeout: 60_000 });
}
