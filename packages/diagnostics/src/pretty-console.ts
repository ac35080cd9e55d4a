// The console mirror of the main log in pino-pretty's human format. pino-pretty is
// imported with the first line, not at start: a console that is not a terminal (a
// service, a pipe, `mcpproxy serve` under a test) never loads it. Lines logged
// before it is loaded wait in order; `settled()` resolves once they are written,
// and the raw JSON lines are written if the process exits first.
import type { DestinationStream } from "pino";

export interface PrettyConsole extends DestinationStream {
  /** Resolves once every line written so far reached the target. */
  settled(): Promise<void>;
}

type Prettify = (line: string) => string;

export function prettyConsole(target: NodeJS.WritableStream, colorize: boolean): PrettyConsole {
  let prettify: Prettify | undefined;
  let pending: string[] = [];
  let loading: Promise<void> | undefined;
  const writeRawOnExit = (): void => {
    for (const line of pending) target.write(line);
    pending = [];
  };
  const load = (): Promise<void> =>
    (loading ??= import("pino-pretty").then(
      ({ default: pinoPretty }) => {
        const factory = pinoPretty.prettyFactory({
          colorize: colorize && pinoPretty.isColorSupported,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "pid,hostname",
          // One line per record, so `mcpproxy serve 2>&1 | grep docker_run_args` shows the argv too.
          singleLine: true,
        });
        prettify = (line) => factory(line);
        process.off("exit", writeRawOnExit);
        for (const line of pending) target.write(factory(line));
        pending = [];
      },
      () => {
        // Cannot load: the console gets the JSON lines, as without a terminal.
        prettify = (line) => line;
        writeRawOnExit();
      },
    ));
  return {
    write(line: string) {
      if (prettify !== undefined) {
        target.write(prettify(line));
        return;
      }
      if (loading === undefined) process.once("exit", writeRawOnExit);
      pending.push(line);
      void load();
    },
    settled: () => loading ?? Promise.resolve(),
  };
}
