// `mcpproxy servers list | logs SERVER [-f] [--tail N] | restart SERVER`, from a
// running proxy through its REST API (URL and key from the config).
import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { printJson, println, formatTable, type CliContext } from "../io.ts";
import { examples, positiveInt } from "../command-helpers.ts";
import { clientFor, withEndpointOptions, type EndpointOptions } from "./endpoint.ts";
import { registerServersEditCommands } from "./servers-edit.ts";
import { registerServersSecurityCommands } from "./servers-security.ts";
import { registerServersTopCommand } from "./servers-top.ts";
import {
  nearLimitWarning,
  type LogsResponse,
  SERVER_TABLE_HEADER,
  serverRow,
  type ServersResponse,
  type ServerView,
  stateColor,
} from "./servers-format.ts";

interface LogsOptions extends EndpointOptions {
  follow?: boolean;
  tail: number;
  interval: number;
}

/**
 * The lines of `next` that come after the previously printed window `previous`
 * (both are tails of the same log): the latest place where `previous` ends in
 * `next`, checked over as many lines as both have. No overlap at all (the log
 * was rotated, or more than a window was written) means every line is new.
 */
export function newLogLines(previous: readonly string[], next: readonly string[]): string[] {
  const last = previous[previous.length - 1];
  if (last === undefined) return [...next];
  for (let end = next.length; end > 0; end--) {
    if (next[end - 1] !== last) continue;
    const overlap = Math.min(end, previous.length);
    let same = true;
    for (let i = 1; i <= overlap && same; i++) same = next[end - i] === previous[previous.length - i];
    if (same) return next.slice(end);
  }
  return [...next];
}

export function registerServersCommands(program: Command, ctx: CliContext): void {
  const servers = program
    .command("servers")
    .description("Upstream servers: of a running proxy (via its REST API), and adding or removing them")
    .addHelpText(
      "after",
      examples(
        "mcpproxy servers list",
        "mcpproxy servers logs github -f",
        "mcpproxy servers add time -- uvx mcp-server-time",
      ),
    );

  withEndpointOptions(
    servers
      .command("list")
      .description("Each configured server: state, isolation, container, tools, restarts")
      .option("--json", "print the API's answer as JSON"),
  )
    .addHelpText("after", examples("mcpproxy servers list", "mcpproxy servers list --json"))
    .action(async (options: EndpointOptions, command: Command) => {
      const client = await clientFor(ctx, command, options);
      const response = await client.get<ServersResponse>("/servers");
      if (options.json) {
        printJson(ctx, response);
        return;
      }
      if (response.servers.length === 0) {
        println(
          ctx.stdout,
          "No servers configured: add one with `mcpproxy servers add NAME -- COMMAND ARGS…` (or under `mcpServers` in the config).",
        );
        return;
      }
      const rows = response.servers.map((server) => serverRow(ctx.out, server));
      for (const line of formatTable(SERVER_TABLE_HEADER, rows)) println(ctx.stdout, line);
      for (const server of response.servers) {
        const warning = nearLimitWarning(server);
        if (warning !== undefined) println(ctx.stdout, ctx.out.yellow(warning));
      }
    });

  withEndpointOptions(
    servers
      .command("logs")
      .description("The last log lines (stderr) of a server; -f keeps printing new ones")
      .argument("<server>", "server name")
      .option("-f, --follow", "keep polling for new lines until interrupted")
      .option("-n, --tail <n>", "how many recent lines", positiveInt, 100)
      .option("--interval <ms>", "poll interval with --follow", positiveInt, 1000)
      .option("--json", "print { server, lines } as JSON (one object per poll with --follow)"),
  )
    .addHelpText(
      "after",
      examples("mcpproxy servers logs github --tail 50", "mcpproxy servers logs github -f"),
    )
    .action(async (name: string, options: LogsOptions, command: Command) => {
      const client = await clientFor(ctx, command, options);
      const path = (tail: number): string => `/servers/${encodeURIComponent(name)}/logs?tail=${tail}`;
      const print = (lines: readonly string[]): void => {
        if (options.json) {
          if (lines.length > 0 || !options.follow)
            ctx.stdout.write(`${JSON.stringify({ server: name, lines })}\n`);
        } else {
          for (const line of lines) println(ctx.stdout, line);
        }
      };
      let seen = (await client.get<LogsResponse>(path(options.tail))).lines;
      print(seen);
      if (!options.follow) return;

      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        const window = Math.min(Math.max(options.tail, 500), 10_000);
        while (!stop.signal.aborted) {
          await sleep(options.interval, undefined, { signal: stop.signal }).catch(() => undefined);
          if (stop.signal.aborted) break;
          const next = (await client.get<LogsResponse>(path(window))).lines;
          print(newLogLines(seen, next));
          seen = next;
        }
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });

  withEndpointOptions(
    servers
      .command("restart")
      .description("Restart a server (a new container when isolated) and wait until it is ready")
      .argument("<server>", "server name")
      .option("--json", "print the API's answer as JSON"),
  )
    .addHelpText("after", examples("mcpproxy servers restart github"))
    .action(async (name: string, options: EndpointOptions, command: Command) => {
      const client = await clientFor(ctx, command, options);
      const response = await client.post<ServerView>(`/servers/${encodeURIComponent(name)}/restart`);
      if (options.json) {
        printJson(ctx, response);
        return;
      }
      println(ctx.stdout, `Restarted ${name}: ${stateColor(ctx.out, response.state)}`);
      const container = response.isolation.container_name;
      if (container !== null) println(ctx.stdout, `  container ${container}`);
    });

  registerServersTopCommand(servers, ctx, (command, options) => clientFor(ctx, command, options));
  registerServersEditCommands(servers, ctx);
  registerServersSecurityCommands(servers, ctx);
}
