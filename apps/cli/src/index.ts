// Public API of @mcpproxy/cli: the command tree, for embedding or testing in-process.
// The `mcpproxy` binary itself is bin.ts.
export { createProgram, LOG_LEVELS } from "./program.ts";
export type { GlobalOptions } from "./command-helpers.ts";
export { createContext, colorsEnabled, type CliContext, type CliIo, type OutputStream } from "./io.ts";
export { CliError, EXIT, exitCodeFor, type CliErrorCode, type ExitCode } from "./errors.ts";
