// The install stage of a prepared-image build holds the registry auth (.npmrc)
// and CA files in its layers. The classic builder keeps those layers as
// untagged images after the build (as cache); they are labelled with the
// build's own id (PREPARED_LABELS.stage) and removed here once it ends, however
// it ended. A per-build id means a concurrent build's images are never touched.
import { randomBytes } from "node:crypto";
import { PREPARED_LABELS } from "@mcpproxy/prepare";
import { runDocker } from "./docker-cli.ts";
import type { DockerCliOptions } from "./types.ts";

export function newBuildId(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Removes the install-stage images of build `buildId` (and their untagged
 * parents). Returns the engine's complaint when it refused, else undefined.
 */
export async function removeInstallStage(
  buildId: string,
  docker: DockerCliOptions | undefined,
): Promise<string | undefined> {
  const filter = `label=${PREPARED_LABELS.stage}=${buildId}`;
  const pruned = await runDocker(["image", "prune", "--force", "--filter", filter], { docker });
  if (pruned.failed) return pruned.failure;
  // Anything prune left (an image with a child, e.g. after an interrupted build) goes by id.
  const left = await runDocker(["image", "ls", "--all", "--quiet", "--no-trunc", "--filter", filter], {
    docker,
  });
  const ids = left.stdout.split("\n").filter(Boolean);
  if (ids.length === 0) return undefined;
  const removed = await runDocker(["image", "rm", "--force", ...ids], { docker });
  return removed.failed ? removed.failure : undefined;
}
