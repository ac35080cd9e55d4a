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

/** Generous: the engine removes layers slowly while other builds and containers load it. */
const STAGE_CALL_TIMEOUT_MS = 60_000;
const REMOVE_ROUNDS = 3;

/**
 * Removes the install-stage images of build `buildId` (and their untagged
 * parents). Returns the engine's complaint when images are still there after
 * a few rounds, else undefined.
 *
 * No `docker image prune`: the engine runs one prune at a time and refuses a
 * second ("a prune operation is already running"), which concurrent builds
 * meet. `image rm` removes each image's untagged parents too; one whose child
 * is still there is refused, and goes in the next round.
 */
export async function removeInstallStage(
  buildId: string,
  docker: DockerCliOptions | undefined,
): Promise<string | undefined> {
  const filter = `label=${PREPARED_LABELS.stage}=${buildId}`;
  const options = { docker, timeoutMs: STAGE_CALL_TIMEOUT_MS };
  let complaint = "";
  for (let round = 0; ; round++) {
    const left = await runDocker(
      ["image", "ls", "--all", "--quiet", "--no-trunc", "--filter", filter],
      options,
    );
    const ids = left.stdout.split("\n").filter(Boolean);
    if (!left.failed && ids.length === 0) return undefined;
    if (left.failed) complaint = left.failure;
    if (round === REMOVE_ROUNDS) return complaint || `${ids.length} image(s) still present`;
    if (ids.length > 0) {
      const removed = await runDocker(["image", "rm", "--force", ...ids], options);
      complaint = removed.failure;
    }
  }
}
