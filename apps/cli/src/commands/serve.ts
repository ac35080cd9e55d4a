// `mcpproxy serve`: run the proxy until SIGINT/SIGTERM/SIGHUP. On first run the
// default config is created, and a config without api_key gets a generated one
// (unless it opts out on loopback). Prints where the config and logs are, the
// Docker endpoint, the dashboard URL, and the exact lines that add the proxy to Claude Code and
// Cursor, key included. With --stdio, stdout carries only MCP.
import { type Command, Option } from "commander";
import { ensureConfigFile, loadConfig, type ConfigResult } from "@mcpproxy/config";
import { getEngineInfo, type EngineInfo } from "@mcpproxy/lifecycle";
import { runUntilSignal, startProxy, type RunningProxy } from "@mcpproxy/server";
import { keepRunningWhenOutputCloses } from "../closed-output.ts";
import { configInvalid, configPathFor } from "../config-file.ts";
import { println, type CliContext, type Colors, type OutputStream } from "../io.ts";
import { examples, globalOptions } from "../command-helpers.ts";
import { dashboardUrl } from "./ui.ts";

interface ServeOptions {
  listen?: string;
  stdio?: boolean;
  tray?: string | boolean;
}

/** How a user adds a server (the `servers add` command). */
export const ADD_SERVER_HINT = "mcpproxy servers add NAME -- COMMAND ARGS…";

/** The lines that connect Claude Code and Cursor to the proxy, with the key when one is needed. */
export function clientSetupLines(mcpUrl: string, apiKey: string | undefined): string[] {
  const header = apiKey === undefined ? "" : ` --header "X-API-Key: ${apiKey}"`;
  const cursor = {
    mcpServers: {
      mcpproxy: apiKey === undefined ? { url: mcpUrl } : { url: mcpUrl, headers: { "X-API-Key": apiKey } },
    },
  };
  return [
    "Add it to Claude Code:",
    `  claude mcp add --transport http mcpproxy ${mcpUrl}${header}`,
    "Add it to Cursor (~/.cursor/mcp.json):",
    ...JSON.stringify(cursor, null, 2)
      .split("\n")
      .map((line) => `  ${line}`),
  ];
}

/** "Docker engine: …" from the engine info (context, endpoint, version, or why it is unreachable). */
export function engineLine(engine: EngineInfo): string {
  const where = engine.endpoint ?? "the default endpoint";
  const context = engine.context === undefined ? "" : ` (context "${engine.context}")`;
  if (engine.reachable) return `Docker engine: ${where}${context}, Docker ${engine.serverVersion ?? "?"}`;
  return `Docker engine: ${where}${context} is not answering: ${engine.error ?? "no answer"}`;
}

/** A config that exists and is valid, created on first run; a missing api_key is added unless opted out. */
async function prepareConfig(
  configPath: string,
  human: OutputStream,
  colors: Colors,
): Promise<ConfigResult & { ok: true }> {
  let result: ConfigResult = await loadConfig(configPath);
  const missing = !result.ok && result.errors.some((issue) => issue.code === "CONFIG_NOT_FOUND");
  const keyless =
    result.ok && result.config.api_key === undefined && !result.config.allow_loopback_without_key;
  let created = false;
  if (missing || keyless) ({ result, created } = await ensureConfigFile(configPath));
  if (!result.ok) throw configInvalid(configPath, result.errors);
  if (created) println(human, `${colors.green("Created")} the default config: ${configPath}`);
  else println(human, `Config: ${configPath}`);
  if (keyless) println(human, `${colors.green("Added")} a generated "api_key" to the config`);
  return result;
}

function printReady(
  human: OutputStream,
  colors: Colors,
  proxy: RunningProxy,
  serverCount: number,
  engine: EngineInfo,
): void {
  println(human, `Logs: ${proxy.logDir}`);
  println(human, engineLine(engine));
  if (proxy.url === "") {
    // Only possible with --stdio: the HTTP listener could not bind (the log says why).
    println(human, `${colors.green("Ready:")} mcpproxy is serving MCP on stdio only (HTTP unavailable)`);
    return;
  }
  const key = proxy.apiKey;
  println(human, `MCP URL: ${colors.cyan(proxy.mcpUrl)}`);
  println(
    human,
    key === undefined
      ? `REST API: ${proxy.url}/api/v1 (no key: "allow_loopback_without_key" is on)`
      : `REST API: ${proxy.url}/api/v1 (send the key as the X-API-Key header)`,
  );
  println(human, `Dashboard: ${colors.cyan(dashboardUrl(proxy.url))}`);
  for (const line of clientSetupLines(proxy.mcpUrl, key)) println(human, line);
  if (serverCount === 0) {
    println(human, `No upstream servers are configured yet. Add one with: ${ADD_SERVER_HINT}`);
  }
  println(human, `${colors.green("Ready:")} mcpproxy is serving on ${proxy.url} (Ctrl-C to stop)`);
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command("serve")
    .description(
      "Run the proxy: MCP at <url>/mcp, REST API at <url>/api/v1 (creates the default config on first run)",
    )
    .option(
      "--listen <addr>",
      "host:port to listen on, overriding `listen` in the config (port 0 picks a free one)",
    )
    .option(
      "--stdio",
      "also serve MCP on stdin/stdout (for clients that spawn the proxy); messages go to stderr",
    )
    .addOption(
      new Option("--tray [bool]", "accepted for compatibility with older commands; there is no tray"),
    )
    .addHelpText(
      "after",
      examples(
        "mcpproxy serve",
        "mcpproxy serve --log-level=debug --tray=false",
        "mcpproxy serve --config ./mcp_config.json --listen 127.0.0.1:9090",
      ),
    )
    .action(async (options: ServeOptions, command: Command) => {
      keepRunningWhenOutputCloses();
      const { config: configFlag, logLevel } = globalOptions(command);
      // In --stdio mode stdout belongs to the MCP protocol.
      const human = options.stdio ? ctx.stderr : ctx.stdout;
      const colors = options.stdio ? ctx.err : ctx.out;

      // Asked first, beside reading the config and the start: the engine answers (or times
      // out) within ~2 s, and its answer is the last thing the Ready lines wait for.
      const engine = getEngineInfo();
      // Awaited below; marked handled so a config error thrown first is the one reported.
      void engine.catch(() => undefined);
      const configPath = configPathFor(ctx, configFlag);
      const result = await prepareConfig(configPath, human, colors);
      const proxy = await startProxy({
        configPath,
        config: result.config,
        ...(options.listen === undefined ? {} : { listen: options.listen }),
        ...(logLevel === undefined ? {} : { logLevel }),
        stdio: options.stdio === true,
      });
      // The endpoint printed is the one the proxy pinned for this run; the info adds version/reachability.
      const info = await engine;
      // Stops every upstream and removes every container on SIGINT/SIGTERM/SIGHUP, then exits the process
      // (stdin in --stdio mode would otherwise keep it alive). Handlers go in before "Ready" is printed:
      // a signal sent as soon as it is read must find them, not the default action (killed, no cleanup).
      const stopped = runUntilSignal(proxy);
      printReady(human, colors, proxy, result.config.mcpServers.length, {
        ...info,
        endpoint: proxy.engine.endpoint ?? info.endpoint,
        context: proxy.engine.context ?? info.context,
      });
      ctx.exitCode = await stopped;
    });
}
