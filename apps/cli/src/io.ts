// Where the CLI writes, and whether it may use colours there.
import pc from "picocolors";
import type { LogLevel } from "@mcpproxy/config";

export type Colors = ReturnType<typeof pc.createColors>;

export interface OutputStream {
  write(chunk: string): boolean;
  isTTY?: boolean | undefined;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
}

export interface CliContext extends CliIo {
  /** Colours for stdout and stderr; no-ops when that stream is not a TTY or NO_COLOR is set. */
  out: Colors;
  err: Colors;
  /** The exit code when no error is thrown: commands set 1 when they found a failure. */
  exitCode: number;
  /** The global --log-level, once parsed (error|warn|info|debug). */
  logLevel: LogLevel | undefined;
}

/** Colours on a TTY only, never with NO_COLOR (any non-empty value) or TERM=dumb; FORCE_COLOR forces them. */
export function colorsEnabled(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export function createContext(io: CliIo): CliContext {
  return {
    ...io,
    out: pc.createColors(colorsEnabled(io.stdout, io.env)),
    err: pc.createColors(colorsEnabled(io.stderr, io.env)),
    exitCode: 0,
    logLevel: undefined,
  };
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function println(stream: OutputStream, line = ""): void {
  stream.write(`${line}\n`);
}

/** A plain left-aligned table; widths from the uncoloured cell text. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => visibleLength(row[column] ?? ""))),
  );
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + " ".repeat((widths[column] ?? 0) - visibleLength(cell)),
      )
      .join("  ")
      .trimEnd();
  return [render(header), ...rows.map(render)];
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}
