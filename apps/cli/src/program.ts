// The `mcpproxy` command tree. Each command group lives in commands/<group>.ts
// and registers itself on the program; errors are thrown, never printed here.
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import type { LogLevel } from "@mcpproxy/config";
import { registerActivityCommand } from "./commands/activity.ts";
import { registerConfigCommands } from "./commands/config.ts";
import { registerContainersCommands } from "./commands/containers.ts";
import { registerDoctorCommand } from "./commands/doctor.ts";
import { registerImagesCommands } from "./commands/images.ts";
import { registerIsolationCommands } from "./commands/isolation.ts";
import { registerServeCommand } from "./commands/serve.ts";
import { registerServersCommands } from "./commands/servers.ts";
import { examples, globalOptions } from "./command-helpers.ts";
import type { CliContext } from "./io.ts";

export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return manifest.version ?? "0.0.0";
}

export function createProgram(ctx: CliContext): Command {
  const program = new Command("mcpproxy")
    .description(
      "A local proxy between an MCP client and many upstream MCP servers, each optionally isolated in its own Docker container.",
    )
    .version(version(), "-v, --version")
    .option(
      "-c, --config <path>",
      "config file (default: $MCPPROXY_CONFIG, else ~/.mcpproxy/mcp_config.json)",
    )
    .addOption(
      new Option("--log-level <level>", "how much to log; debug also prints stack traces on errors").choices(
        LOG_LEVELS,
      ),
    )
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => void ctx.stdout.write(text),
      writeErr: (text) => void ctx.stderr.write(text),
      outputError: (text, write) => write(ctx.err.red(text)),
    })
    .showHelpAfterError("(add --help for usage and examples)")
    .exitOverride()
    .addHelpText(
      "after",
      examples(
        "mcpproxy serve",
        "mcpproxy doctor",
        "mcpproxy isolation show github",
        "mcpproxy servers list --json",
        "mcpproxy images pull",
      ),
    );

  program.hook("preAction", (_program, action) => {
    ctx.logLevel = globalOptions(action).logLevel;
  });

  registerServeCommand(program, ctx);
  registerDoctorCommand(program, ctx);
  registerIsolationCommands(program, ctx);
  registerServersCommands(program, ctx);
  registerActivityCommand(program, ctx);
  registerContainersCommands(program, ctx);
  registerImagesCommands(program, ctx);
  registerConfigCommands(program, ctx);
  return program;
}
