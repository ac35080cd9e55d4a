// Image references: validation, registry qualification and the full precedence
// (server image → default_images → runtime default → binary).
import {
  isRegistryHost,
  isRepositoryComponent,
  readImageReference,
  type ImageReference,
} from "@mcpproxy/docker-grammar";
import { detectRuntime, type MatchedBy } from "./detect.ts";
import { RuntimeDetectError } from "./errors.ts";
import type { RuntimeName } from "./runtimes.ts";

export type { ImageReference };

/** Registry names that mean Docker Hub itself: no prefix is added for them. */
export const DOCKER_HUB_REGISTRIES: readonly string[] = [
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
];

/**
 * Splits and validates an image reference (@mcpproxy/docker-grammar's grammar). Throws
 * `RuntimeDetectError` (`INVALID_IMAGE`) for anything Docker would reject, including a
 * leading `-` (it would be read as a flag).
 */
export function parseImageReference(image: string): ImageReference {
  const read = readImageReference(image);
  if ("problem" in read) {
    throw new RuntimeDetectError(
      "INVALID_IMAGE",
      image,
      `invalid image reference ${JSON.stringify(image)}: ${read.problem}`,
    );
  }
  return read;
}

/**
 * The registry as a host[:port][/path] prefix: surrounding spaces, an `http(s)://`
 * scheme and trailing slashes are removed; `""` means Docker Hub. Throws
 * `RuntimeDetectError` (`INVALID_REGISTRY`) for anything else that is not a host.
 */
export function normalizeRegistry(registry: string): string {
  const trimmed = registry
    .trim()
    .replace(/^https?:\/\//i, "")
    .replace(/\/+$/, "");
  if (trimmed === "") return "";
  const [host = "", ...pathParts] = trimmed.split("/");
  if (!isRegistryHost(host) || pathParts.some((part) => !isRepositoryComponent(part))) {
    throw new RuntimeDetectError(
      "INVALID_REGISTRY",
      registry,
      `invalid registry ${JSON.stringify(registry)}: expected host[:port][/path], e.g. "registry.example.com:5000"`,
    );
  }
  return trimmed;
}

function isDockerHub(registry: string): boolean {
  return registry === "" || DOCKER_HUB_REGISTRIES.includes(registry.toLowerCase());
}

/**
 * Puts an image under `registry`, which stands in for Docker Hub:
 * - registry `docker.io` (or `index.docker.io`, `registry-1.docker.io`, empty): image unchanged;
 * - image already naming a host (`ghcr.io/x/y`, `localhost:5000/y`, `docker.io/library/python`): unchanged;
 * - one-component image (`python:3.11`): `<registry>/library/python:3.11`, Docker Hub's path for official images;
 * - other images (`mcp/fetch:1`): `<registry>/mcp/fetch:1`.
 * The image is validated either way (`RuntimeDetectError`).
 */
export function qualifyImage(image: string, registry: string): string {
  const reference = parseImageReference(image);
  const prefix = normalizeRegistry(registry);
  if (isDockerHub(prefix) || reference.domain !== undefined) return image;
  return `${prefix}/${reference.path.includes("/") ? "" : "library/"}${image}`;
}

/** Where `resolveImage` found the image. */
export type ImageSource = "server" | "default_images" | "runtime-default" | "binary";

export interface ImageSettings {
  /** The server's own `isolation.image`; wins over everything. */
  image?: string | undefined;
  /** Command name (or `binary`) → image; the user's map merged over the defaults. */
  default_images: Readonly<Record<string, string>>;
  registry: string;
}

export interface ResolvedImage {
  /** The final, registry-qualified image to run. */
  image: string;
  runtime: RuntimeName;
  source: ImageSource;
  matchedBy: MatchedBy;
  /** The bare command name detection used. */
  commandName: string;
}

/**
 * The image a server runs in: its `isolation.image`, else `default_images[command name]`,
 * else the runtime's default, else `default_images.binary`, then qualified with `registry`.
 * Throws `RuntimeDetectError` for an invalid image or registry.
 */
export function resolveImage(command: string, settings: ImageSettings): ResolvedImage {
  const detected = detectRuntime(command, settings.default_images);
  const own = settings.image;
  const chosen = own === undefined ? detected.image : own.trim();
  const source: ImageSource = own === undefined ? detected.imageSource : "server";
  return {
    image: qualifyImage(chosen, settings.registry),
    runtime: detected.runtime,
    source,
    matchedBy: detected.matchedBy,
    commandName: detected.commandName,
  };
}
