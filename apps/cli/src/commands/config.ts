// `mcpproxy config path | validate | init | schema`
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { configJsonSchema, ensureConfigFile, formatIssues, loadConfig } from "@mcpproxy/config";
import { configPathFor } from "../config-file.ts";
import { EXIT } from "../errors.ts";
import { printJson, println, type CliContext } from "../io.ts";
import { examples, globalOptions } from "../command-helpers.ts";

interface JsonOption {
  json?: boolean;
}

export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program
    .command("config")
    .description("Where the config file is, check it, create it, print its JSON Schema")
    .addHelpText(
      "after",
      examples("mcpproxy config validate", "mcpproxy --config ./mcp_config.json config path"),
    );

  config
    .command("path")
    .description("Print the config file path in use (--config, else $MCPPROXY_CONFIG, else the default)")
    .option("--json", "print { path, exists } as JSON")
    .addHelpText(
      "after",
      examples("mcpproxy config path", "MCPPROXY_CONFIG=./dev.json mcpproxy config path --json"),
    )
    .action((options: JsonOption, command: Command) => {
      const path = configPathFor(ctx, globalOptions(command).config);
      const exists = existsSync(path);
      if (options.json) {
        printJson(ctx, { path, exists });
        return;
      }
      println(ctx.stdout, path);
      if (!exists)
        println(ctx.stderr, ctx.err.dim("(does not exist yet: `mcpproxy config init` creates it)"));
    });

  config
    .command("validate")
    .description("Check the config file and print every error with its path (exit 2 when invalid)")
    .option("--json", "print { path, valid, errors, warnings } as JSON")
    .addHelpText(
      "after",
      examples("mcpproxy config validate", "mcpproxy --config ./mcp_config.json config validate --json"),
    )
    .action(async (options: JsonOption, command: Command) => {
      const path = configPathFor(ctx, globalOptions(command).config);
      const result = await loadConfig(path);
      const errors = result.ok ? [] : result.errors;
      if (!result.ok) ctx.exitCode = EXIT.usage;
      if (options.json) {
        printJson(ctx, { path, valid: result.ok, errors, warnings: result.warnings });
        return;
      }
      const { out } = ctx;
      if (result.ok) {
        println(
          ctx.stdout,
          `${out.green("✓")} ${path} is valid (${result.config.mcpServers.length} servers)`,
        );
      } else {
        const count = `${errors.length} error${errors.length === 1 ? "" : "s"}`;
        println(ctx.stdout, `${out.red("✗")} ${path}: ${count}`);
        for (const line of formatIssues(errors)) println(ctx.stdout, `  ${out.red("error")}   ${line}`);
      }
      for (const line of formatIssues(result.warnings))
        println(ctx.stdout, `  ${out.yellow("warning")} ${line}`);
    });

  config
    .command("init")
    .description(
      "Create the default config file (with a generated api_key) if there is none; an existing file keeps its settings",
    )
    .option("--json", "print { path, created, addedApiKey, valid } as JSON")
    .addHelpText("after", examples("mcpproxy config init", "mcpproxy --config ./mcp_config.json config init"))
    .action(async (options: JsonOption, command: Command) => {
      const path = configPathFor(ctx, globalOptions(command).config);
      const before = await loadConfig(path);
      const ensured = await ensureConfigFile(path);
      const valid = ensured.result.ok;
      // ensureConfigFile gives an existing valid file without api_key a generated one.
      const addedApiKey = before.ok && before.config.api_key === undefined && valid && !ensured.created;
      if (options.json) {
        printJson(ctx, { path: ensured.path, created: ensured.created, addedApiKey, valid });
      } else if (ensured.created) {
        println(ctx.stdout, `${ctx.out.green("Created")} ${ensured.path}`);
      } else if (addedApiKey) {
        println(ctx.stdout, `${ensured.path} already exists; added a generated "api_key" to it.`);
      } else {
        println(ctx.stdout, `${ensured.path} already exists; left unchanged.`);
      }
      if (!ensured.result.ok) {
        ctx.exitCode = EXIT.usage;
        if (!options.json) {
          println(ctx.stderr, `${ctx.err.red("error:")} it does not validate:`);
          for (const line of formatIssues(ensured.result.errors)) println(ctx.stderr, `  ${line}`);
          println(
            ctx.stderr,
            `${ctx.err.yellow("fix:")} correct the listed fields (see \`mcpproxy config validate\`).`,
          );
        }
      }
    });

  config
    .command("schema")
    .description("Print the JSON Schema of mcp_config.json (for editor completion and validation)")
    .addHelpText("after", examples("mcpproxy config schema > mcp_config.schema.json"))
    .action(() => {
      printJson(ctx, configJsonSchema);
    });
}
