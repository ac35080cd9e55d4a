// A reader that goes away (`mcpproxy config schema | head -1`) closes the pipe, and
// the next write fails with EPIPE: Node would die with a stack trace. Like other
// Unix tools the CLI then stops quietly with the code it has so far; `serve` keeps
// serving (its "Ready" lines had nowhere to go, the proxy and its containers must
// not end with them), which it asks for with `keepRunningWhenOutputCloses`.
import type { CliContext } from "./io.ts";

let keepRunning = false;

/** For commands that must outlive their output (`serve`): a closed stdout/stderr is ignored. */
export function keepRunningWhenOutputCloses(): void {
  keepRunning = true;
}

/** Installs the EPIPE handling on process.stdout and process.stderr. */
export function handleClosedOutput(ctx: CliContext): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      if (keepRunning) return;
      process.exit(process.exitCode ?? ctx.exitCode);
    });
  }
}
