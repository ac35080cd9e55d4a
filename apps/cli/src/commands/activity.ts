// `mcpproxy activity [--server S] [--tool T] [--outcome O] [--since 1h|ISO] [--limit N] [--json]`:
// the tool calls a running proxy recorded, newest first.
import { parseDuration } from "@mcpproxy/config";
import { type Command, InvalidArgumentError } from "commander";
import { examples, positiveInt } from "../command-helpers.ts";
import { formatTable, printJson, println, type CliContext, type Colors } from "../io.ts";
import { clientFor, withEndpointOptions, type EndpointOptions } from "./endpoint.ts";

interface ActivityOptions extends EndpointOptions {
  server?: string;
  tool?: string;
  outcome?: string;
  since?: Date;
  limit?: number;
}

export interface ActivityEntryJson {
  time: string;
  session?: string;
  server: string;
  tool: string;
  durationMs: number;
  outcome: string;
  error?: string;
  argumentKeys: string[];
}

/** "90s", "2h" (ago) or an ISO time. */
export function parseSince(value: string, now = Date.now()): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const time = new Date(value);
    if (!Number.isNaN(time.getTime())) return time;
  } else {
    try {
      return new Date(now - parseDuration(value));
    } catch {
      // fall through to the usage error
    }
  }
  throw new InvalidArgumentError(
    'expected a duration ago ("30m", "2h") or an ISO time ("2026-01-31T12:00:00Z")',
  );
}

function outcomeText(colors: Colors, outcome: string): string {
  if (outcome === "success") return colors.green(outcome);
  if (outcome === "refused") return colors.yellow(outcome);
  return colors.red(outcome);
}

export function registerActivityCommand(program: Command, ctx: CliContext): void {
  withEndpointOptions(
    program
      .command("activity")
      .description("The tool calls of a running proxy (activity log), newest first")
      .option("--server <name>", "only this server's calls")
      .option("--tool <name>", "only calls of this tool")
      .option("--outcome <outcome>", "success, error, refused, timeout or cancelled")
      .option("--since <when>", 'only calls since a duration ago ("30m") or an ISO time', (v) =>
        parseSince(v),
      )
      .option("--limit <n>", "at most this many (default 100)", positiveInt)
      .option("--json", "print the API's answer as JSON"),
  )
    .addHelpText(
      "after",
      examples("mcpproxy activity --server github --since 1h", "mcpproxy activity --json"),
    )
    .action(async (options: ActivityOptions, command: Command) => {
      const query = new URLSearchParams();
      if (options.server !== undefined) query.set("server", options.server);
      if (options.tool !== undefined) query.set("tool", options.tool);
      if (options.outcome !== undefined) query.set("outcome", options.outcome);
      if (options.since !== undefined) query.set("since", options.since.toISOString());
      if (options.limit !== undefined) query.set("limit", String(options.limit));
      const client = await clientFor(ctx, command, options);
      const text = query.toString();
      const answer = await client.get<{ entries: ActivityEntryJson[] }>(
        `/activity${text === "" ? "" : `?${text}`}`,
      );
      if (options.json) {
        printJson(ctx, answer);
        return;
      }
      if (answer.entries.length === 0) {
        println(ctx.stdout, "No tool calls recorded for this filter.");
        return;
      }
      const rows = answer.entries.map((e) => [
        e.time,
        e.server,
        e.tool,
        outcomeText(ctx.out, e.outcome),
        `${e.durationMs}ms`,
        e.argumentKeys.join(",") || "-",
        (e.error ?? "").slice(0, 80),
      ]);
      const header = ["TIME", "SERVER", "TOOL", "OUTCOME", "DURATION", "ARGUMENTS", "ERROR"];
      for (const line of formatTable(header, rows)) println(ctx.stdout, line);
    });
}
