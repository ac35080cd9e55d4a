// `mcpproxy servers show|approve|quarantine NAME`: what a running proxy offers
// of a server and why, and the decisions a person takes about it.
import type { Command } from "commander";
import { examples } from "../command-helpers.ts";
import { printJson, println, type CliContext } from "../io.ts";
import { clientFor, withEndpointOptions, type EndpointOptions } from "./endpoint.ts";
import { reviewLines, toolLines, type ServerReview } from "./review-format.ts";

interface ApproveOptions extends EndpointOptions {
  tool?: string[];
}

interface QuarantineOptions extends EndpointOptions {
  reason?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const route = (name: string, verb = "security"): string => `/servers/${encodeURIComponent(name)}/${verb}`;

export function registerServersSecurityCommands(servers: Command, ctx: CliContext): void {
  withEndpointOptions(
    servers
      .command("show")
      .description(
        "A server's trust and every tool: offered or withheld (why), description, schema, findings, diff",
      )
      .argument("<server>", "server name")
      .option("--json", "print the API's answer as JSON"),
  )
    .addHelpText("after", examples("mcpproxy servers show github", "mcpproxy servers show github --json"))
    .action(async (name: string, options: EndpointOptions, command: Command) => {
      const review = await (await clientFor(ctx, command, options)).get<ServerReview>(route(name));
      if (options.json) printJson(ctx, review);
      else for (const line of reviewLines(ctx.out, review, true)) println(ctx.stdout, line);
    });

  withEndpointOptions(
    servers
      .command("approve")
      .description("Approve what a server offers now (every tool, or --tool ones) and trust the server")
      .argument("<server>", "server name")
      .option("--tool <name>", "approve only this tool (repeatable)", collect)
      .option("--json", "print the API's answer as JSON"),
  )
    .addHelpText(
      "after",
      examples("mcpproxy servers approve weather", "mcpproxy servers approve github --tool create_issue"),
    )
    .action(async (name: string, options: ApproveOptions, command: Command) => {
      const client = await clientFor(ctx, command, options);
      const before = await client.get<ServerReview>(route(name));
      const wanted = options.tool === undefined ? undefined : new Set(options.tool);
      const approving = before.tools.filter(
        (t) => t.status === "withheld" && (wanted === undefined || wanted.has(t.name)),
      );
      if (!options.json) {
        println(ctx.stdout, `Approving ${approving.length} withheld tool(s) of ${name}:`);
        for (const tool of approving)
          for (const line of toolLines(ctx.out, tool, true)) println(ctx.stdout, line);
      }
      const after = await client.post<ServerReview>(
        route(name, "approve"),
        options.tool === undefined ? {} : { tools: options.tool },
      );
      if (options.json) printJson(ctx, after);
      else
        println(
          ctx.stdout,
          `${name} is ${after.trust}: ${after.offered} tool(s) offered, ${after.withheld} withheld`,
        );
    });

  withEndpointOptions(
    servers
      .command("quarantine")
      .description(
        "Quarantine a server: it keeps running, its tools are hidden and calls refused until approved",
      )
      .argument("<server>", "server name")
      .option("--reason <text>", "why (kept with the decision)")
      .option("--json", "print the API's answer as JSON"),
  )
    .addHelpText("after", examples('mcpproxy servers quarantine weather --reason "under review"'))
    .action(async (name: string, options: QuarantineOptions, command: Command) => {
      const client = await clientFor(ctx, command, options);
      const after = await client.post<ServerReview>(
        route(name, "quarantine"),
        options.reason === undefined ? {} : { reason: options.reason },
      );
      if (options.json) printJson(ctx, after);
      else
        println(
          ctx.stdout,
          `${name} is quarantined: ${after.withheld} tool(s) withheld; approve with ${after.approve_command}`,
        );
    });
}
