/** Which grammar a value failed. */
export type DockerGrammarErrorCode =
  | "INVALID_MEMORY"
  | "INVALID_CPUS"
  | "INVALID_IMAGE"
  | "INVALID_VOLUME"
  | "INVALID_MOUNT"
  | "INVALID_FLAG_VALUE";

/** Thrown by the `parseXxx` functions for text Docker would reject; `value` is the text. */
export class DockerGrammarError extends Error {
  readonly code: DockerGrammarErrorCode;
  readonly value: string;

  constructor(code: DockerGrammarErrorCode, value: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DockerGrammarError";
    this.code = code;
    this.value = value;
  }
}
