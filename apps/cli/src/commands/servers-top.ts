// `mcpproxy servers top`: live resource use of every server, refreshed like
// `docker stats` (the proxy's stats streams, through its REST API); `--json`
// prints one sample and exits.
import { setTimeout as sleep } from "node:timers/promises";
import { type Command, InvalidArgumentError } from "commander";
import type { ApiClient } from "../api-client.ts";
import { examples } from "../command-helpers.ts";
import { formatTable, printJson, println, type CliContext, type Colors } from "../io.ts";
import {
  cpuCell,
  mebibytes,
  memoryCell,
  nearLimitWarning,
  stateColor,
  type ServersResponse,
  type ServerView,
} from "./servers-format.ts";

interface TopOptions {
  url?: string;
  apiKey?: string;
  json?: boolean;
  interval: number;
  count?: number;
}

export const TOP_TABLE_HEADER = ["NAME", "STATE", "MEM", "CPU", "PIDS", "NET RX/TX", "BLOCK R/W", "OOM"];

/** One `top` row: NAME STATE MEM CPU PIDS NET BLOCK OOM ("-" where a server has no container stats). */
export function topRow(colors: Colors, server: ServerView): string[] {
  const r = server.resources;
  const pair = (a: number, b: number): string => `${mebibytes(a)} / ${mebibytes(b)}`;
  return [
    server.name,
    stateColor(colors, server.state),
    memoryCell(r),
    cpuCell(r),
    r === null ? "-" : r.pids.limit === null ? String(r.pids.current) : `${r.pids.current}/${r.pids.limit}`,
    r === null ? "-" : pair(r.network.rx_bytes, r.network.tx_bytes),
    r === null ? "-" : pair(r.block_io.read_bytes, r.block_io.write_bytes),
    r === null ? "-" : String(r.oom_kills),
  ];
}

/** The screen of one refresh: the table, then a warning line per server near its memory limit. */
export function topScreen(colors: Colors, servers: readonly ServerView[]): string[] {
  const lines = formatTable(
    TOP_TABLE_HEADER,
    servers.map((server) => topRow(colors, server)),
  );
  for (const server of servers) {
    const warning = nearLimitWarning(server);
    if (warning !== undefined) lines.push(colors.yellow(warning));
  }
  return lines;
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return parsed;
}

export function registerServersTopCommand(
  servers: Command,
  ctx: CliContext,
  clientFor: (command: Command, options: TopOptions) => Promise<ApiClient>,
): void {
  servers
    .command("top")
    .description("Live memory, CPU, pids and IO of each server's container (refreshes; Ctrl-C ends)")
    .option("--interval <ms>", "refresh interval", positiveInt, 2000)
    .option("-n, --count <n>", "stop after this many refreshes", positiveInt)
    .option("--json", "print one sample as JSON and exit")
    .option("--url <url>", "the proxy's base URL (default: from `listen` in the config)")
    .option("--api-key <key>", "the proxy's API key (default: `api_key` in the config)")
    .addHelpText("after", examples("mcpproxy servers top", "mcpproxy servers top --json"))
    .action(async (options: TopOptions, command: Command) => {
      const client = await clientFor(command, options);
      const sample = async (): Promise<ServerView[]> =>
        (await client.get<ServersResponse>("/servers")).servers;
      if (options.json) {
        const list = await sample();
        printJson(ctx, {
          servers: list.map((server) => ({
            name: server.name,
            state: server.state,
            resources: server.resources,
          })),
        });
        return;
      }
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        for (let shown = 0; !stop.signal.aborted;) {
          const lines = topScreen(ctx.out, await sample());
          // On a terminal, redraw in place; otherwise print one block per refresh.
          if (ctx.stdout.isTTY === true) ctx.stdout.write("\u001b[H\u001b[2J");
          for (const line of lines) println(ctx.stdout, line);
          shown += 1;
          if (options.count !== undefined && shown >= options.count) break;
          if (ctx.stdout.isTTY !== true) println(ctx.stdout, "");
          await sleep(options.interval, undefined, { signal: stop.signal }).catch(() => undefined);
        }
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
}
