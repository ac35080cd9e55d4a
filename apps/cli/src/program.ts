// The `mcpproxy` command tree. Each command group lives in commands/<group>.ts
// and registers itself on the program; errors are thrown, never printed here.
// Groups are imported on demand: `mcpproxy serve` never loads the docker or
// doctor code, and `mcpproxy --version` loads no command at all (fast start).
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import type { LogLevel } from "@mcpproxy/config";
import { examples, globalOptions } from "./command-helpers.ts";
import type { CliContext } from "./io.ts";

type Register = (program: Command, ctx: CliContext) => void;

/** Top-level command name → the module that registers it, in help order. */
const COMMAND_GROUPS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ["serve", async () => (await import("./commands/serve.ts")).registerServeCommand],
  ["doctor", async () => (await import("./commands/doctor.ts")).registerDoctorCommand],
  ["isolation", async () => (await import("./commands/isolation.ts")).registerIsolationCommands],
  ["servers", async () => (await import("./commands/servers.ts")).registerServersCommands],
  ["containers", async () => (await import("./commands/containers.ts")).registerContainersCommands],
  ["images", async () => (await import("./commands/images.ts")).registerImagesCommands],
  ["config", async () => (await import("./commands/config.ts")).registerConfigCommands],
];

/** Global options that take a value (so the word after them is not the command). */
const VALUE_OPTIONS: ReadonlySet<string> = new Set(["-c", "--config", "--log-level"]);

/**
 * The top-level command the user args name, "none" for a bare `--version`/`-v`,
 * or undefined when every group is needed (help, no command, an unknown word).
 */
export function invokedCommand(userArgs: readonly string[]): string | undefined {
  for (let i = 0; i < userArgs.length; i += 1) {
    const arg = userArgs[i] ?? "";
    if (VALUE_OPTIONS.has(arg)) {
      i += 1;
    } else if (!arg.startsWith("-")) {
      return COMMAND_GROUPS.some(([name]) => name === arg) ? arg : undefined;
    }
  }
  const wantsHelp = userArgs.includes("-h") || userArgs.includes("--help");
  const wantsVersion = userArgs.includes("-v") || userArgs.includes("--version");
  return wantsVersion && !wantsHelp ? "none" : undefined;
}

export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return manifest.version ?? "0.0.0";
}

/**
 * The program with the command groups `userArgs` need (all of them without
 * `userArgs`). `userArgs` are the arguments after the binary: process.argv.slice(2).
 */
export async function createProgram(ctx: CliContext, userArgs?: readonly string[]): Promise<Command> {
  const program = baseProgram(ctx);
  const wanted = userArgs === undefined ? undefined : invokedCommand(userArgs);
  const groups = COMMAND_GROUPS.filter(([name]) => wanted === undefined || name === wanted);
  const registers = await Promise.all(groups.map(([, load]) => load()));
  for (const register of registers) register(program, ctx);
  return program;
}

function baseProgram(ctx: CliContext): Command {
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
  return program;
}
