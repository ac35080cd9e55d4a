// `mcpproxy images prepare|list|prune`: prepared images (one per package-runner
// server with `prepare` on) built ahead of `serve` with a progress bar, listed
// with their pins, sizes and users, and pruned (never one a container uses or
// the current config refers to, unless asked).
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { resolveIsolation, resolvePrepare, type McpProxyConfig, type ServerConfig } from "@mcpproxy/config";
import {
  ensurePreparedImage,
  findPreparedImage,
  listPreparedImages,
  prunePreparedImages,
  type PreparedImage,
  type PreparedImageInfo,
  type PrepareProgress,
} from "@mcpproxy/lifecycle";
import { planPrepare, type PackageSpec } from "@mcpproxy/prepare";
import { findServer, loadConfigOrThrow } from "../config-file.ts";
import { CliError } from "../errors.ts";
import { printJson, println, type CliContext } from "../io.ts";
import { examples, globalOptions } from "../command-helpers.ts";

interface Planned {
  server: ServerConfig;
  spec: PackageSpec;
  baseImage: string;
}

/** The servers to prepare: the named ones, else every enabled server with prepare on; and why others are not. */
export function serversToPrepare(
  config: McpProxyConfig,
  servers: readonly ServerConfig[],
  named: boolean,
): { planned: Planned[]; skipped: { server: string; reason: string }[] } {
  const planned: Planned[] = [];
  const skipped: { server: string; reason: string }[] = [];
  for (const server of servers) {
    if (!named && !resolvePrepare(config, server)) continue;
    const plan = planPrepare(server, resolveIsolation(config, server));
    if (plan.ok) planned.push({ server, spec: plan.spec, baseImage: plan.baseImage });
    else skipped.push({ server: server.name, reason: plan.reason });
  }
  return { planned, skipped };
}

function progressBars(ctx: CliContext, json: boolean): cliProgress.MultiBar | undefined {
  if (json || ctx.stderr.isTTY !== true) return undefined;
  return new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: "{server} |{bar}| step {value}/{total} {message}",
      hideCursor: true,
      clearOnComplete: false,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
}

type Outcome = { server: string; image?: PreparedImage; error?: string };

async function prepareOne(
  ctx: CliContext,
  planned: Planned,
  update: boolean,
  bars: cliProgress.MultiBar | undefined,
  quiet: boolean,
): Promise<Outcome> {
  const name = planned.server.name;
  const bar = bars?.create(1, 0, { server: name, message: "waiting" });
  let lastPhase = "";
  const onProgress = (progress: PrepareProgress): void => {
    const message = progress.message.slice(0, 60);
    if (bar !== undefined) {
      if (progress.totalSteps !== undefined) bar.setTotal(progress.totalSteps);
      if (progress.step !== undefined) bar.update(progress.step, { message });
      else bar.update({ message });
    } else if (!quiet && progress.phase !== lastPhase) {
      println(ctx.stderr, `${name}: ${progress.phase}: ${progress.message}`);
    }
    lastPhase = progress.phase;
  };
  try {
    const image = await ensurePreparedImage({ ...planned, server: name, update, onProgress });
    bar?.update(bar.getTotal(), { message: image.built ? "built" : "already prepared" });
    return { server: name, image };
  } catch (error) {
    bar?.update({ message: "failed" });
    const fix = (error as { fix?: unknown }).fix;
    const text = error instanceof Error ? error.message : String(error);
    return { server: name, error: typeof fix === "string" ? `${text}\nfix: ${fix}` : text };
  }
}

function registerPrepare(images: Command, ctx: CliContext): void {
  images
    .command("prepare")
    .description(
      "Build the prepared images of package-runner servers ahead of `serve` (prepare on, or the named ones)",
    )
    .argument("[servers...]", "server names (default: every enabled server with prepare on)")
    .option("--update", "resolve the newest matching versions again and rebuild (changes the pin)")
    .option(
      "--json",
      "print { prepared: [{ server, image, package, version, built, error }], skipped } as JSON",
    )
    .addHelpText("after", examples("mcpproxy images prepare", "mcpproxy images prepare memory --update"))
    .action(async (names: string[], options: { update?: boolean; json?: boolean }, command: Command) => {
      const loaded = await loadConfigOrThrow(ctx, globalOptions(command).config);
      const servers =
        names.length > 0
          ? names.map((name) => findServer(loaded, name))
          : loaded.config.mcpServers.filter((server) => server.enabled);
      const { planned, skipped } = serversToPrepare(loaded.config, servers, names.length > 0);
      const json = options.json === true;
      const bars = progressBars(ctx, json);
      let outcomes: Outcome[];
      try {
        outcomes = await Promise.all(
          planned.map((one) => prepareOne(ctx, one, options.update === true, bars, json)),
        );
      } finally {
        bars?.stop();
      }
      if (json) {
        printJson(ctx, {
          prepared: outcomes.map((o) => ({
            server: o.server,
            image: o.image?.tag ?? null,
            package: o.image?.labels.package.name ?? null,
            version: o.image?.labels.package.version ?? null,
            integrity: o.image?.labels.package.integrity ?? null,
            built: o.image?.built ?? false,
            error: o.error ?? null,
          })),
          skipped,
        });
      } else {
        if (planned.length === 0)
          println(ctx.stdout, 'No server to prepare (turn it on with "isolation": { "prepare": true }).');
        for (const o of outcomes) {
          const pin = o.image?.labels.package;
          if (o.image !== undefined && pin !== undefined)
            println(
              ctx.stdout,
              `${ctx.out.green("✓")} ${o.server}: ${o.image.tag} ${pin.name}@${pin.version} (${o.image.built ? "built" : "already prepared"})`,
            );
          else println(ctx.stdout, `${ctx.out.red("✗")} ${o.server}: ${o.error ?? "failed"}`);
        }
        for (const skip of skipped) println(ctx.stdout, ctx.out.dim(`- ${skip.server}: ${skip.reason}`));
      }
      const failed = outcomes.filter((o) => o.error !== undefined);
      if (failed.length > 0)
        throw new CliError(
          "PREPARE_FAILED",
          `${failed.length} of ${outcomes.length} prepared image(s) could not be built: ${failed.map((o) => o.server).join(", ")}.`,
          { fix: "See each server's error and fix above, then run `mcpproxy images prepare` again." },
        );
    });
}

/** Tags of the prepared images the config's servers refer to now (prune keeps them: they hold the pins). */
async function configuredTags(config: McpProxyConfig): Promise<string[]> {
  const { planned } = serversToPrepare(config, config.mcpServers, false);
  const found = await Promise.all(
    planned.map((one) => findPreparedImage({ ...one, server: one.server.name })),
  );
  return found.flatMap((f) => (f?.image === undefined ? [] : [f.tag]));
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function imageLine(image: PreparedImageInfo): string {
  const pin = image.labels.package;
  const used = image.containers.length > 0 ? `in use by ${image.containers.length} container(s)` : "unused";
  return `${image.tags.join(", ") || image.id.slice(0, 19)}  ${pin.name}@${pin.version}  ${megabytes(image.size)}  servers: ${image.servers.join(", ") || "-"}  ${used}`;
}

function imageJson(image: PreparedImageInfo): Record<string, unknown> {
  return {
    id: image.id,
    tags: image.tags,
    servers: image.servers,
    package: image.labels.package,
    packages: image.labels.packages,
    runner: image.labels.runner,
    size: image.size,
    created: image.created,
    containers: image.containers,
  };
}

interface PruneOptions {
  all?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

function registerListAndPrune(images: Command, ctx: CliContext): void {
  images
    .command("list")
    .description("Prepared images: packages, pinned versions, sizes and the servers using them")
    .option("--json", "print { images: [...] } as JSON")
    .addHelpText("after", examples("mcpproxy images list", "mcpproxy images list --json"))
    .action(async (options: { json?: boolean }) => {
      const list = await listPreparedImages();
      if (options.json === true) printJson(ctx, { images: list.map(imageJson) });
      else if (list.length === 0)
        println(ctx.stdout, "No prepared images (`mcpproxy images prepare` builds them).");
      else for (const image of list) println(ctx.stdout, imageLine(image));
    });

  images
    .command("prune")
    .description(
      "Remove prepared images no container uses; those the config refers to stay unless --all (they hold the pins)",
    )
    .argument("[servers...]", "only the images prepared for these servers (default: every prepared image)")
    .option("--all", "also remove the images the current config refers to (the next start re-resolves)")
    .option("--dry-run", "only say what would be removed")
    .option("--json", "print { removed, kept, failed } as JSON")
    .addHelpText(
      "after",
      examples(
        "mcpproxy images prune --dry-run",
        "mcpproxy images prune",
        "mcpproxy images prune memory --all",
      ),
    )
    .action(async (names: string[], options: PruneOptions, command: Command) => {
      const loaded = await loadConfigOrThrow(ctx, globalOptions(command).config);
      const keep = options.all === true ? [] : await configuredTags(loaded.config);
      const result = await prunePreparedImages({
        keep,
        dryRun: options.dryRun === true,
        servers: names.length > 0 ? names : undefined,
      });
      if (options.json === true) {
        printJson(ctx, {
          removed: result.removed.map(imageJson),
          kept: result.kept.map(imageJson),
          failed: result.failed.map((f) => ({ image: imageJson(f.image), reason: f.reason })),
        });
        return;
      }
      const verb = options.dryRun === true ? "would remove" : "removed";
      for (const image of result.removed) println(ctx.stdout, `${verb} ${imageLine(image)}`);
      for (const image of result.kept) println(ctx.stdout, ctx.out.dim(`kept ${imageLine(image)}`));
      for (const f of result.failed)
        println(ctx.stdout, ctx.out.red(`not removed ${imageLine(f.image)}: ${f.reason}`));
      if (result.removed.length === 0 && result.failed.length === 0) println(ctx.stdout, "Nothing to prune.");
    });
}

export function registerPreparedImageCommands(images: Command, ctx: CliContext): void {
  registerPrepare(images, ctx);
  registerListAndPrune(images, ctx);
}

export interface PreparedPin {
  /** Whether prepare is on for the server. */
  prepare: boolean;
  tag: string | null;
  image: PreparedImage | null;
  /** The args the prepared image runs with (its ENTRYPOINT is the server). */
  args: string[] | null;
  /** Why no prepared image runs. */
  reason: string | null;
}

/** `isolation show`: the pin of a server's prepared image, or why it has none. */
export async function preparedPin(config: McpProxyConfig, name: string): Promise<PreparedPin> {
  const loadedServer = config.mcpServers.find((server) => server.name === name);
  if (loadedServer === undefined || !resolvePrepare(config, loadedServer))
    return { prepare: false, tag: null, image: null, args: null, reason: null };
  const plan = planPrepare(loadedServer, resolveIsolation(config, loadedServer));
  if (!plan.ok) return { prepare: true, tag: null, image: null, args: null, reason: plan.reason };
  const found = await findPreparedImage({ server: name, spec: plan.spec, baseImage: plan.baseImage });
  if (found === undefined)
    return {
      prepare: true,
      tag: null,
      image: null,
      args: null,
      reason: `the runtime image ${plan.baseImage} is not present`,
    };
  return {
    prepare: true,
    tag: found.tag,
    image: found.image ?? null,
    args: plan.spec.args,
    reason:
      found.image === undefined ? "not built yet: `mcpproxy images prepare " + name + "` builds it" : null,
  };
}
