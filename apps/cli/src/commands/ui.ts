// `mcpproxy ui`: opens the dashboard (<listen>/ui/) of the proxy the config
// describes in the default browser, through the platform's opener (xdg-open,
// open, start). With --print, or when no opener is installed, it prints the
// URL instead. The `open` package is not used: it ships its own xdg-open copy,
// so "no opener here" could not be told apart, and this is one spawn.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { endpointFromConfig } from "../api-client.ts";
import { examples, globalOptions } from "../command-helpers.ts";
import { loadConfigOrThrow } from "../config-file.ts";
import { CliError } from "../errors.ts";
import { println, type CliContext } from "../io.ts";

/** The dashboard's URL under a proxy base URL such as http://127.0.0.1:8080. */
export function dashboardUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/ui/`;
}

interface Opener {
  command: string;
  args: (url: string) => string[];
}

/** The platform's "open this URL" program, if it is on PATH. */
export function findOpener(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Opener | undefined {
  if (platform === "win32") {
    // `start` is a cmd.exe builtin; the empty "" is the window title, so the URL is not taken as one.
    return { command: "cmd", args: (url) => ["/d", "/c", "start", '""', url] };
  }
  const command = platform === "darwin" ? "open" : "xdg-open";
  const dirs = (env.PATH ?? "").split(path.delimiter).filter((dir) => dir !== "");
  const found = dirs.some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  return found ? { command, args: (url) => [url] } : undefined;
}

/** Starts the opener detached; rejects when it cannot be started at all. */
function launch(opener: Opener, url: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(opener.command, opener.args(url), { detached: true, stdio: "ignore", env });
    child.once("error", reject);
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}

export function registerUiCommand(program: Command, ctx: CliContext): void {
  program
    .command("ui")
    .description("Open the dashboard of the proxy in the config (its `listen` address) in the browser")
    .option("--print", "print the dashboard URL instead of opening a browser")
    .addHelpText(
      "after",
      examples("mcpproxy ui", "mcpproxy ui --print", "mcpproxy ui --config ./mcp_config.json"),
    )
    .action(async (options: { print?: boolean }, command: Command) => {
      const loaded = await loadConfigOrThrow(ctx, globalOptions(command).config);
      const url = dashboardUrl(endpointFromConfig(loaded.config, loaded.path).url);
      if (options.print === true) {
        println(ctx.stdout, url);
        return;
      }
      const opener = findOpener(ctx.env);
      if (opener === undefined) {
        const wanted = process.platform === "darwin" ? "open" : "xdg-open";
        println(ctx.stderr, `No browser opener (${wanted}) is on PATH; open the dashboard yourself:`);
        println(ctx.stdout, url);
        return;
      }
      try {
        await launch(opener, url, ctx.env);
      } catch (cause) {
        throw new CliError("BROWSER_OPEN_FAILED", `Could not start ${opener.command} to open ${url}.`, {
          fix: `Open ${url} in a browser yourself, or run \`mcpproxy ui --print\`.`,
          cause,
        });
      }
      println(ctx.stdout, `Opening ${url} (the dashboard asks for the api_key once)`);
    });
}
