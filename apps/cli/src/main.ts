// The `mcpproxy` command run: parse, run the command, and map any error to one
// clear sentence, its fix, and an exit code (0 ok, 1 failure found, 2 usage/config).
import { CommanderError } from "commander";
import { handleClosedOutput } from "./closed-output.ts";
import { EXIT, errorDetails, errorFix, errorSentence, exitCodeFor } from "./errors.ts";
import { createContext } from "./io.ts";
import { createProgram } from "./program.ts";

const ctx = createContext({ stdout: process.stdout, stderr: process.stderr, env: process.env });
handleClosedOutput(ctx);

try {
  await (await createProgram(ctx, process.argv.slice(2))).parseAsync(process.argv);
  process.exitCode = ctx.exitCode;
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed the message (or the help/version it was asked for).
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    ctx.stderr.write(`${ctx.err.red("error:")} ${errorSentence(error)}\n`);
    for (const line of errorDetails(error)) ctx.stderr.write(`  ${line}\n`);
    const fix = errorFix(error);
    if (fix !== undefined) ctx.stderr.write(`${ctx.err.yellow("fix:")} ${fix}\n`);
    if (ctx.logLevel === "debug") {
      for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
        ctx.stderr.write(`${ctx.err.dim(cause.stack ?? `${cause.name}: ${cause.message}`)}\n`);
      }
    }
    process.exitCode = exitCodeFor(error);
  }
}
