// Public API of @mcpproxy/docker-grammar: Docker's value grammar, written once.
// Everything exported here is public API.
export { CPUS_PATTERN, isCpusNumber, nanoCpus, parseNanoCpus } from "./cpus.ts";
export { DockerGrammarError, type DockerGrammarErrorCode } from "./errors.ts";
export {
  booleanValue,
  isBooleanFlag,
  isKnownRunFlag,
  knownRunFlags,
  longFlagName,
  removeFlags,
  scanFlags,
  type ScannedFlag,
  type ScanResult,
} from "./flags.ts";
export {
  isRegistryHost,
  isRepositoryComponent,
  readImageReference,
  type ImageReference,
  type ImageReferenceProblem,
} from "./image.ts";
export { MASK, maskDockerArgv, rewriteEnvValues, type EnvRewrite } from "./mask.ts";
export { shellQuote } from "./shell-quote.ts";
export {
  DOCKER_MIN_MEMORY_BYTES,
  formatMemoryBytes,
  MEMORY_SIZE_PATTERN,
  memoryBytes,
  parseMemoryBytes,
} from "./memory.ts";
export {
  BUILTIN_NETWORK_MODES,
  isCapability,
  isDockerObjectName,
  isNetworkMode,
  isUser,
  normalizeCapabilities,
} from "./names.ts";
export {
  isHostPath,
  isReadOnlyVolume,
  parseMountSpec,
  parseTmpfsSpec,
  parseVolumeSpec,
  volumeModeOptions,
  type MountFlagSpec,
  type VolumeSpec,
} from "./volume.ts";
