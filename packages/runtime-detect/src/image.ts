// Image references: validation, registry qualification and the full precedence
// (server image → default_images → runtime default → binary).
import { detectRuntime, type MatchedBy } from "./detect.ts";
import { RuntimeDetectError } from "./errors.ts";
import type { RuntimeName } from "./runtimes.ts";

/** The parts of an image reference `[domain/]path[:tag][@digest]`. */
export interface ImageReference {
  /** Registry host (with port), when the reference names one. */
  domain?: string;
  /** Repository path, e.g. `python` or `library/python` or `mcp/fetch`. */
  path: string;
  tag?: string;
  digest?: string;
}

// Grammar of github.com/distribution/reference, restricted to what `docker run` accepts.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

/** Registry names that mean Docker Hub itself: no prefix is added for them. */
export const DOCKER_HUB_REGISTRIES: readonly string[] = [
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
];

function invalidImage(image: string, why: string): RuntimeDetectError {
  return new RuntimeDetectError(
    "INVALID_IMAGE",
    image,
    `invalid image reference ${JSON.stringify(image)}: ${why}`,
  );
}

function looksLikeDomain(component: string): boolean {
  return (
    component.includes(".") || component.includes(":") || component === "localhost" || /[A-Z]/.test(component)
  );
}

/**
 * Splits and validates an image reference. Throws `RuntimeDetectError` (`INVALID_IMAGE`)
 * for anything Docker would reject, including a leading `-` (it would be read as a flag).
 */
export function parseImageReference(image: string): ImageReference {
  if (image === "") throw invalidImage(image, "it is empty");
  if (image.startsWith("-"))
    throw invalidImage(image, "it starts with '-' and would be read as a docker flag");
  if (/[\s\p{Cc}]/u.test(image)) throw invalidImage(image, "it contains whitespace or control characters");

  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalidImage(image, `"${digest}" is not a digest (algorithm:hex)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalidImage(image, `"${tag}" is not a valid tag`);
  }
  if (rest.length > MAX_NAME_LENGTH)
    throw invalidImage(image, `the name is longer than ${MAX_NAME_LENGTH} characters`);

  const components = rest.split("/");
  let domain: string | undefined;
  if (components.length > 1 && looksLikeDomain(components[0] ?? "")) {
    domain = components.shift();
    if (domain === undefined || !DOMAIN.test(domain))
      throw invalidImage(image, `"${domain}" is not a registry host`);
  }
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalidImage(
        image,
        `"${component}" is not a valid repository name component (lowercase letters, digits, and . _ - between them)`,
      );
    }
  }
  return {
    path: components.join("/"),
    ...(domain === undefined ? {} : { domain }),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
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
  if (!DOMAIN.test(host) || pathParts.some((part) => !PATH_COMPONENT.test(part))) {
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
