// Running a proxy until SIGINT/SIGTERM/SIGHUP: the first signal stops every upstream
// and removes every container, then the process exits 0. startProxy itself
// installs no handlers; the CLI (and the test fixture) call this.
import type { RunningProxy } from "./proxy.ts";

export interface RunUntilSignalOptions {
  /** Default ["SIGINT", "SIGTERM", "SIGHUP"] (a closed terminal stops the proxy as cleanly as Ctrl-C). */
  signals?: NodeJS.Signals[];
  /** Call process.exit with the code when done. Default true. */
  exit?: boolean;
  /** Where to say what is happening (never stdout: it may carry MCP). Default process.stderr. */
  output?: NodeJS.WritableStream;
}

/**
 * Resolves with the exit code (0) once the proxy stopped, after a signal or
 * because it closed by itself (stdio client went away). A third signal while
 * stopping exits at once with 130 (containers may then be left to the next
 * start's orphan sweep).
 */
export function runUntilSignal(proxy: RunningProxy, options: RunUntilSignalOptions = {}): Promise<number> {
  const signals = options.signals ?? ["SIGINT", "SIGTERM", "SIGHUP"];
  const output = options.output ?? process.stderr;
  const exit = options.exit ?? true;
  let received = 0;

  return new Promise<number>((resolve) => {
    const finish = (code: number) => {
      for (const signal of signals) process.off(signal, onSignal);
      resolve(code);
      if (exit) process.exit(code);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      received++;
      if (received === 1) {
        output.write(`mcpproxy: ${signal} received, stopping upstream servers and removing containers...\n`);
        proxy.stop().then(
          () => finish(0),
          (error: unknown) => {
            output.write(
              `mcpproxy: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`,
            );
            finish(1);
          },
        );
      } else if (received === 2) {
        output.write(
          "mcpproxy: still stopping (removing containers); send the signal again to exit at once\n",
        );
      } else {
        finish(130);
      }
    };
    for (const signal of signals) process.on(signal, onSignal);
    void proxy.closed.then(() => {
      if (received === 0) finish(0);
    });
  });
}
