// Small helpers every command module uses (kept apart from program.ts, which imports the commands).
import { type Command, InvalidArgumentError } from "commander";
import type { LogLevel } from "@mcpproxy/config";

export interface GlobalOptions {
  config?: string | undefined;
  logLevel?: LogLevel | undefined;
}

/** "Example:" text under a command's --help. */
export function examples(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? "s" : ""}:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n`;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** commander parser of a whole number ≥ 1 (a usage error otherwise). */
export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return parsed;
}
