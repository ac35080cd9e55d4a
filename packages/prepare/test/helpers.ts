// Shared by the recipe and hash tests: a spec parsed from a command, or the test fails.
import { parseRunnerCommand, type PackageSpec } from "../src/index.ts";

export function specOf(command: string, args: string[]): PackageSpec {
  const result = parseRunnerCommand(command, args);
  if (!result.ok) throw new Error(`expected a spec, got ${result.reason.code}: ${result.reason.message}`);
  return result.spec;
}
