// Public API of @mcpproxy/runtime-detect: command → runtime → Docker image (pure, no I/O).
// Everything exported here is public API.
export { isContainerRuntimeCommand } from "@mcpproxy/config";
export { detectRuntime, type DetectedImageSource, type DetectedRuntime, type MatchedBy } from "./detect.ts";
export { RuntimeDetectError, type RuntimeDetectErrorCode } from "./errors.ts";
export {
  DOCKER_HUB_REGISTRIES,
  normalizeRegistry,
  parseImageReference,
  qualifyImage,
  resolveImage,
  type ImageReference,
  type ImageSettings,
  type ImageSource,
  type ResolvedImage,
} from "./image.ts";
export {
  BUILTIN_IMAGES,
  COMMAND_ALIASES,
  COMMAND_RUNTIMES,
  RUNTIME_DEFAULT_IMAGES,
  type RuntimeName,
} from "./runtimes.ts";
