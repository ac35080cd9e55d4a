// Listing and pruning prepared images. An image is "in use" when any container
// (running or stopped) was created from it: prune never removes one, and it
// removes images by tag without force, so the engine refuses too if a container
// appeared in between.
import {
  PREPARED_LABELS,
  PREPARED_REPOSITORY,
  PrepareError,
  readPreparedLabels,
  repositoryComponent,
  type PreparedLabels,
} from "@mcpproxy/prepare";
import { isConnectFailure, runDocker, type DockerResult } from "./docker-cli.ts";
import type { DockerCliOptions } from "./types.ts";

export interface PreparedImageInfo {
  /** Full image id (sha256:…). */
  id: string;
  /** `mcpproxy-prepared/<server>:<hash>` tags (empty for an image an update replaced). */
  tags: string[];
  /** Server names from the tags: the servers this image was prepared for. */
  servers: string[];
  labels: PreparedLabels;
  /** Bytes, as the engine reports the image size. */
  size: number;
  created: string;
  /** Ids of containers (any state) created from this image. */
  containers: string[];
}

export interface PreparedImagesOptions {
  docker?: DockerCliOptions | undefined;
  /** Only images tagged for these servers (names as in the config). */
  servers?: readonly string[] | undefined;
}

function engineError(result: DockerResult, what: string): PrepareError {
  return new PrepareError(
    isConnectFailure(result) ? "ENGINE_UNAVAILABLE" : "BUILD_FAILED",
    `${what}: ${result.failure}`,
  );
}

interface RawImage {
  Id?: string;
  RepoTags?: string[] | null;
  Size?: number;
  Created?: string;
  Config?: { Labels?: Record<string, string> | null };
}

/** Every prepared image on the engine, with its pin, size, servers and the containers using it. */
export async function listPreparedImages(options: PreparedImagesOptions = {}): Promise<PreparedImageInfo[]> {
  const { docker } = options;
  const ids = await runDocker(
    ["image", "ls", "--all", "--quiet", "--no-trunc", "--filter", `label=${PREPARED_LABELS.marker}=true`],
    { docker },
  );
  if (ids.failed) throw engineError(ids, "docker image ls");
  const unique = [...new Set(ids.stdout.split("\n").filter(Boolean))];
  if (unique.length === 0) return [];
  const inspected = await runDocker(["image", "inspect", ...unique], { docker });
  if (inspected.failed) throw engineError(inspected, "docker image inspect");
  const containers = await containersByImage(docker);
  const images: PreparedImageInfo[] = [];
  for (const raw of JSON.parse(inspected.stdout) as RawImage[]) {
    const labels = readPreparedLabels(raw.Config?.Labels);
    if (raw.Id === undefined || labels === undefined) continue;
    const tags = (raw.RepoTags ?? []).filter((tag) => tag.startsWith(`${PREPARED_REPOSITORY}/`));
    images.push({
      id: raw.Id,
      tags,
      servers: tags.map((tag) => tag.slice(PREPARED_REPOSITORY.length + 1, tag.lastIndexOf(":"))),
      labels,
      size: raw.Size ?? 0,
      created: raw.Created ?? "",
      containers: containers.get(raw.Id) ?? [],
    });
  }
  const only = options.servers?.map(repositoryComponent);
  const selected =
    only === undefined
      ? images
      : images.filter((image) => image.servers.some((server) => only.includes(server)));
  return selected.sort((a, b) => a.tags.join().localeCompare(b.tags.join()));
}

/** Image id → ids of the containers (any state) created from it. */
async function containersByImage(docker: DockerCliOptions | undefined): Promise<Map<string, string[]>> {
  const ids = await runDocker(["ps", "--all", "--quiet", "--no-trunc"], { docker });
  if (ids.failed) throw engineError(ids, "docker ps");
  const list = ids.stdout.split("\n").filter(Boolean);
  const byImage = new Map<string, string[]>();
  if (list.length === 0) return byImage;
  const inspected = await runDocker(["container", "inspect", "--format", "{{.Id}} {{.Image}}", ...list], {
    docker,
  });
  // A container removed between the two calls makes inspect fail for it only; the others still print.
  for (const line of inspected.stdout.split("\n")) {
    const [id, image] = line.trim().split(" ");
    if (id && image) byImage.set(image, [...(byImage.get(image) ?? []), id]);
  }
  return byImage;
}

export interface PrunePreparedOptions extends PreparedImagesOptions {
  /** Tags or ids to keep although no container uses them (e.g. the ones the current config refers to). */
  keep?: readonly string[] | undefined;
  /** Only report what would be removed. */
  dryRun?: boolean | undefined;
}

export interface PruneResult {
  removed: PreparedImageInfo[];
  /** Kept: used by a container, or listed in `keep`. */
  kept: PreparedImageInfo[];
  /** Images the engine refused to remove, with its words. */
  failed: { image: PreparedImageInfo; reason: string }[];
}

/** Removes prepared images no container uses and `keep` does not name. Never forces. */
export async function prunePreparedImages(options: PrunePreparedOptions = {}): Promise<PruneResult> {
  const keep = new Set(options.keep ?? []);
  const result: PruneResult = { removed: [], kept: [], failed: [] };
  for (const image of await listPreparedImages(options)) {
    const wanted = keep.has(image.id) || image.tags.some((tag) => keep.has(tag));
    if (wanted || image.containers.length > 0) {
      result.kept.push(image);
      continue;
    }
    if (options.dryRun === true) {
      result.removed.push(image);
      continue;
    }
    const removal = await runDocker(["image", "rm", ...(image.tags.length > 0 ? image.tags : [image.id])], {
      docker: options.docker,
    });
    if (removal.failed) result.failed.push({ image, reason: removal.failure });
    else result.removed.push(image);
  }
  return result;
}
