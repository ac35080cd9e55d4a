// `mcpproxy servers add NAME [--isolate|--no-isolate] [--image I] [--network M]
// [--env KEY[=VALUE]]… -- COMMAND ARGS…` and `mcpproxy servers remove NAME`:
// edits of the config file (comments kept, validated first, atomic, under the
// config lock), as are `servers enable|disable NAME`. A running proxy applies
// them by hot reload.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import {
  addServer,
  ConfigError,
  ensureConfigFile,
  formatIssues,
  removeServer,
  setServerEnabled,
  type ConfigOk,
  type NewServer,
} from "@mcpproxy/config";
import { configInvalid, configPathFor } from "../config-file.ts";
import { CliError } from "../errors.ts";
import { println, type CliContext } from "../io.ts";
import { examples, globalOptions } from "../command-helpers.ts";

interface AddOptions {
  isolate?: boolean;
  image?: string;
  network?: string;
  env: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `KEY=VALUE` as given; bare `KEY` takes the value this shell has (as `docker run -e KEY` does). */
function envEntries(specs: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    const key = eq < 0 ? spec : spec.slice(0, eq);
    if (!ENV_NAME.test(key)) {
      throw new CliError("USAGE", `--env ${JSON.stringify(spec)}: "${key}" is not a variable name.`, {
        fix: "Use --env KEY=VALUE or --env KEY (letters, digits and _, not starting with a digit).",
      });
    }
    const value = eq < 0 ? env[key] : spec.slice(eq + 1);
    if (value === undefined) {
      throw new CliError("USAGE", `--env ${key}: ${key} is not set in this shell.`, {
        fix: `Export it first, or give the value: --env ${key}=VALUE.`,
      });
    }
    entries[key] = value;
  }
  return entries;
}

export function newServerFrom(
  name: string,
  command: string,
  args: readonly string[],
  options: AddOptions,
  env: NodeJS.ProcessEnv,
): NewServer {
  const isolation: Record<string, unknown> = {};
  if (options.isolate !== undefined) isolation["enabled"] = options.isolate;
  if (options.image !== undefined) isolation["image"] = options.image;
  if (options.network !== undefined) isolation["network_mode"] = options.network;
  const entries = envEntries(options.env, env);
  return {
    name,
    command,
    ...(args.length > 0 ? { args } : {}),
    ...(Object.keys(entries).length > 0 ? { env: entries } : {}),
    ...(Object.keys(isolation).length > 0 ? { isolation } : {}),
  };
}

/**
 * The config path, created with defaults (and an api_key) when it does not exist yet.
 * An existing file is left for the edit alone: a refused edit leaves it byte for byte.
 */
async function configFileFor(ctx: CliContext, command: Command): Promise<string> {
  const path = configPathFor(ctx, globalOptions(command).config);
  if (existsSync(path)) return path;
  const ensured = await ensureConfigFile(path);
  if (!ensured.result.ok) throw configInvalid(path, ensured.result.errors);
  return path;
}

/** A config error of the edit as the CLI reports it: the file's name, every issue with its path. */
function editError(path: string, name: string, error: unknown): unknown {
  if (!(error instanceof ConfigError)) return error;
  if (error.code === "INVALID_CONFIG") {
    return new CliError("CONFIG_INVALID", `Not written: ${path} would not validate with this change.`, {
      details: formatIssues(error.issues),
      fix: "Correct the listed field (the flag or value that sets it) and run the command again; the file is unchanged.",
      cause: error,
    });
  }
  if (error.code === "SERVER_EXISTS") {
    return new CliError("USAGE", `A server named "${name}" is already in ${path}.`, {
      fix: "Pick another name, or `mcpproxy servers remove NAME` first.",
      cause: error,
    });
  }
  if (error.code === "SERVER_NOT_FOUND") {
    return new CliError("SERVER_NOT_FOUND", error.message, {
      fix: "Use a name from the config (the message lists them); nothing was written.",
      cause: error,
    });
  }
  return error;
}

function reportWritten(ctx: CliContext, what: string, path: string, written: ConfigOk): void {
  const count = written.config.mcpServers.length;
  println(ctx.stdout, `${what} ${path} (${count} server${count === 1 ? "" : "s"} configured).`);
  println(
    ctx.stdout,
    "A running mcpproxy applies it by itself (hot reload); `mcpproxy servers list` shows it.",
  );
}

export function registerServersEditCommands(servers: Command, ctx: CliContext): void {
  servers
    .command("add")
    .description("Add a server to the config file (comments kept); a running proxy starts it by hot reload")
    .argument("<name>", "server name (letters, digits, _ . -)")
    .argument("<command>", "the program to run (after --)")
    .argument("[args...]", "its arguments")
    .option("--isolate", "run it in a Docker container (isolation.enabled: true)")
    .option("--no-isolate", "never isolate it (isolation.enabled: false)")
    .option("--image <image>", "isolation.image: the image to run it in")
    .option("--network <mode>", "isolation.network_mode: bridge, none, or a network name")
    .option(
      "--env <KEY[=VALUE]>",
      "env for the server; bare KEY copies this shell's value (repeatable)",
      collect,
      [],
    )
    .addHelpText(
      "after",
      examples(
        "mcpproxy servers add github --env GITHUB_TOKEN -- npx -y @modelcontextprotocol/server-github",
        "mcpproxy servers add fetch --isolate --network bridge -- uvx mcp-server-fetch",
      ),
    )
    .action(async (name: string, program: string, args: string[], options: AddOptions, command: Command) => {
      const server = newServerFrom(name, program, args, options, ctx.env);
      const path = await configFileFor(ctx, command);
      const written = await addServer(path, server).catch((error: unknown) => {
        throw editError(path, name, error);
      });
      reportWritten(ctx, `Added server "${name}" to`, path, written);
    });

  for (const enabled of [true, false]) {
    const verb = enabled ? "enable" : "disable";
    servers
      .command(verb)
      .description(
        `Set \`enabled: ${enabled}\` for a server in the config file; a running proxy ${enabled ? "starts" : "stops"} it by hot reload`,
      )
      .argument("<name>", "server name")
      .addHelpText("after", examples(`mcpproxy servers ${verb} github`))
      .action(async (name: string, _options: unknown, command: Command) => {
        const path = await configFileFor(ctx, command);
        const written = await setServerEnabled(path, name, enabled).catch((error: unknown) => {
          throw editError(path, name, error);
        });
        reportWritten(ctx, `Server "${name}" ${verb}d in`, path, written);
      });
  }

  servers
    .command("remove")
    .description("Remove a server from the config file; a running proxy stops it by hot reload")
    .argument("<name>", "server name")
    .addHelpText("after", examples("mcpproxy servers remove fetch"))
    .action(async (name: string, _options: unknown, command: Command) => {
      const path = await configFileFor(ctx, command);
      const written = await removeServer(path, name).catch((error: unknown) => {
        throw editError(path, name, error);
      });
      reportWritten(ctx, `Removed server "${name}" from`, path, written);
    });
}
