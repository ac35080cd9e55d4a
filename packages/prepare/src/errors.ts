/** What went wrong while preparing an image (parse, recipe, resolution or build). */
export type PrepareErrorCode =
  /** An input the recipe cannot use: an unusable server name, a missing bin, a bad resolved version. */
  | "INVALID_INPUT"
  /** The registry (through the host's installer) does not know the package or version. */
  | "PACKAGE_NOT_FOUND"
  /** Resolving the version on the host failed for another reason (network, auth, TLS). */
  | "RESOLVE_FAILED"
  /** The image build failed; `installerLines` holds the installer's own error lines. */
  | "BUILD_FAILED"
  /** The build was abandoned (signal); no image was tagged. */
  | "BUILD_CANCELED"
  /** The container engine did not answer. */
  | "ENGINE_UNAVAILABLE"
  /** The runtime image the build starts FROM is missing and could not be pulled. */
  | "BASE_IMAGE_MISSING";

export interface PrepareErrorDetails {
  /** The server the image is for, when known. */
  server?: string | undefined;
  /** The package spec, e.g. "@scope/pkg@^1". */
  package?: string | undefined;
  /** The installer's (npm/pip/uv) own error lines, verbatim. */
  installerLines?: readonly string[] | undefined;
  /** One sentence saying what to do about it. */
  fix?: string | undefined;
  cause?: unknown;
}

/** Typed error of @mcpproxy/prepare and of the lifecycle's prepare engine side. */
export class PrepareError extends Error {
  readonly code: PrepareErrorCode;
  readonly server: string | undefined;
  readonly package: string | undefined;
  readonly installerLines: readonly string[];
  readonly fix: string | undefined;

  constructor(code: PrepareErrorCode, message: string, details: PrepareErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "PrepareError";
    this.code = code;
    this.server = details.server;
    this.package = details.package;
    this.installerLines = details.installerLines ?? [];
    this.fix = details.fix;
  }
}
