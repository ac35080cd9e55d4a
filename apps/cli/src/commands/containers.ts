// `mcpproxy containers list | cleanup`: the containers labelled as MCPProxy's,
// and removal of the ones whose proxy is gone (orphans).
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import {
  listManagedContainers,
  removeContainers,
  sweepOrphans,
  type ManagedContainer,
} from "@mcpproxy/lifecycle";
import { CliError } from "../errors.ts";
import { formatTable, printJson, println, type CliContext } from "../io.ts";
import { examples } from "../command-helpers.ts";

interface ListOptions {
  json?: boolean;
  server?: string;
}

interface CleanupOptions {
  json?: boolean;
  all?: boolean;
  server?: string;
}

function containerJson(container: ManagedContainer): Record<string, unknown> {
  return {
    id: container.id,
    name: container.name,
    server: container.serverName ?? null,
    image: container.image,
    state: container.state,
    status: container.status,
    instance: container.instanceId ?? null,
  };
}

export function registerContainersCommands(program: Command, ctx: CliContext): void {
  const containers = program
    .command("containers")
    .description("Docker containers labelled as MCPProxy's")
    .addHelpText("after", examples("mcpproxy containers list", "mcpproxy containers cleanup"));

  containers
    .command("list")
    .description("Every MCPProxy container, running or not (label io.mcpproxy.managed-by=mcpproxy)")
    .option("--server <name>", "only this server's containers")
    .option("--json", "print [{ id, name, server, image, state, status, instance }] as JSON")
    .addHelpText(
      "after",
      examples("mcpproxy containers list", "mcpproxy containers list --server github --json"),
    )
    .action(async (options: ListOptions) => {
      const list = await listManagedContainers(
        options.server === undefined ? {} : { server: options.server },
      );
      if (options.json) {
        printJson(ctx, list.map(containerJson));
        return;
      }
      if (list.length === 0) {
        println(ctx.stdout, "No MCPProxy containers.");
        return;
      }
      const rows = list.map((container) => [
        container.name,
        container.serverName ?? "-",
        container.image,
        container.state === "running" ? ctx.out.green(container.status) : ctx.out.dim(container.status),
        container.instanceId ?? "-",
      ]);
      for (const line of formatTable(["NAME", "SERVER", "IMAGE", "STATUS", "INSTANCE"], rows))
        println(ctx.stdout, line);
    });

  containers
    .command("cleanup")
    .description("Remove orphans: containers whose proxy is no longer running (a live proxy's are kept)")
    .option("--all", "remove every MCPProxy container, also those of running proxies (stop them first)")
    .option("--server <name>", "with --all: only this server's containers")
    .option("--json", "print { removed: [...], kept: [{ container, reason }] } as JSON")
    .addHelpText(
      "after",
      examples("mcpproxy containers cleanup", "mcpproxy containers cleanup --all --server github --json"),
    )
    .action(async (options: CleanupOptions) => {
      if (options.server !== undefined && !options.all) {
        throw new CliError(
          "USAGE",
          "--server only applies with --all: an orphan cleanup covers every server.",
          {
            fix: "Run `mcpproxy containers cleanup` for orphans, or add --all to remove that server's containers.",
          },
        );
      }
      let removed: ManagedContainer[];
      let kept: { container: ManagedContainer; reason: string }[];
      if (options.all) {
        removed = await listManagedContainers(options.server === undefined ? {} : { server: options.server });
        await removeContainers(removed.map((container) => container.id));
        kept = [];
      } else {
        // An id no container carries: every container is judged by its owner's liveness.
        ({ removed, kept } = await sweepOrphans({
          instanceId: `mcpproxy-cli-${randomBytes(6).toString("hex")}`,
        }));
      }
      if (options.json) {
        printJson(ctx, {
          removed: removed.map(containerJson),
          kept: kept.map((entry) => ({ container: containerJson(entry.container), reason: entry.reason })),
        });
        return;
      }
      for (const container of removed) println(ctx.stdout, `${ctx.out.red("removed")} ${container.name}`);
      for (const entry of kept)
        println(ctx.stdout, `${ctx.out.dim("kept")}    ${entry.container.name} (${entry.reason})`);
      const count = removed.length;
      println(
        ctx.stdout,
        count === 0 && kept.length === 0
          ? "No MCPProxy containers: nothing to clean up."
          : `Removed ${count} container${count === 1 ? "" : "s"}; kept ${kept.length}.`,
      );
    });
}
