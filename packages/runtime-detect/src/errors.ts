/** What was wrong with an input of @mcpproxy/runtime-detect. */
export type RuntimeDetectErrorCode = "INVALID_IMAGE" | "INVALID_REGISTRY";

/** Thrown for an image reference or registry Docker would reject (or read as a flag). */
export class RuntimeDetectError extends Error {
  readonly code: RuntimeDetectErrorCode;
  /** The offending input, verbatim. */
  readonly value: string;

  constructor(code: RuntimeDetectErrorCode, value: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RuntimeDetectError";
    this.code = code;
    this.value = value;
  }
}
