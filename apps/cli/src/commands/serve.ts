// `mcpproxy serve`: run the proxy until SIGINT/SIGTERM. On first run the
// default config is created; the config path, MCP URL and the line that adds
// the proxy to Claude Code are printed. With --stdio, stdout carries only MCP.
import { type Command, Option } from "commander";
import { ensureConfigFile, loadConfig, type ConfigResult } from "@mcpproxy/config";
import { runUntilSignal, startProxy } from "@mcpproxy/server";
import { configInvalid, configPathFor } from "../config-file.ts";
import { println, type CliContext } from "../io.ts";
import { examples, globalOptions } from "../command-helpers.ts";

interface ServeOptions {
  listen?: string;
  stdio?: boolean;
  tray?: string | boolean;
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
      const { config: configFlag, logLevel } = globalOptions(command);
      // In --stdio mode stdout belongs to the MCP protocol.
      const human = options.stdio ? ctx.stderr : ctx.stdout;
      const colors = options.stdio ? ctx.err : ctx.out;

      const configPath = configPathFor(ctx, configFlag);
      // First run creates the default config; an existing file is only read (as the server does).
      let result: ConfigResult = await loadConfig(configPath);
      let created = false;
      if (!result.ok && result.errors.some((issue) => issue.code === "CONFIG_NOT_FOUND")) {
        const ensured = await ensureConfigFile(configPath);
        ({ result, created } = ensured);
      }
      if (!result.ok) throw configInvalid(configPath, result.errors);
      println(
        human,
        created ? `${colors.green("Created")} the default config: ${configPath}` : `Config: ${configPath}`,
      );

      const proxy = await startProxy({
        configPath,
        ...(options.listen === undefined ? {} : { listen: options.listen }),
        ...(logLevel === undefined ? {} : { logLevel }),
        stdio: options.stdio === true,
      });
      if (proxy.url === "") {
        // Only possible with --stdio: the HTTP listener could not bind (the log says why).
        println(human, `${colors.green("Ready:")} mcpproxy is serving MCP on stdio only (HTTP unavailable)`);
      } else {
        const key = proxy.apiKey === undefined ? "no key needed on loopback" : `key: "api_key" in the config`;
        println(human, `MCP URL: ${colors.cyan(proxy.mcpUrl)}`);
        println(human, `REST API: ${proxy.url}/api/v1 (${key})`);
        println(human, "Add it to Claude Code:");
        println(human, `  claude mcp add --transport http mcpproxy ${proxy.mcpUrl}`);
        println(human, `${colors.green("Ready:")} mcpproxy is serving on ${proxy.url} (Ctrl-C to stop)`);
      }
      // Stops every upstream and removes every container on SIGINT/SIGTERM, then exits the process
      // (stdin in --stdio mode would otherwise keep it alive).
      ctx.exitCode = await runUntilSignal(proxy);
    });
}
