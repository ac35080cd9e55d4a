// `mcpproxy images pull [SERVER…]`: pull every image the config's isolated
// servers need before the first `serve`, with one progress bar per image.
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { resolveIsolation, type ServerConfig } from "@mcpproxy/config";
import { buildDockerRunArgs } from "@mcpproxy/docker-args";
import { getEngineInfo, imageExists, pullImage, type PullProgress } from "@mcpproxy/lifecycle";
import { findServer, loadConfigOrThrow } from "../config-file.ts";
import { CliError, ENGINE_FIX } from "../errors.ts";
import { printJson, println, type CliContext } from "../io.ts";
import { examples, globalOptions } from "../command-helpers.ts";
import { registerPreparedImageCommands } from "./images-prepared.ts";

interface PullOptions {
  json?: boolean;
}

export interface ImageResult {
  image: string;
  servers: string[];
  status: "present" | "pulled" | "failed";
  error?: string | undefined;
}

interface SkippedServer {
  server: string;
  reason: string;
}

/** The images the given servers run in, each with the servers that need it; servers that run on the host are skipped. */
export function imagesNeeded(
  config: Parameters<typeof resolveIsolation>[0],
  servers: readonly ServerConfig[],
): { images: Map<string, string[]>; skipped: SkippedServer[] } {
  const images = new Map<string, string[]>();
  const skipped: SkippedServer[] = [];
  for (const server of servers) {
    const resolution = resolveIsolation(config, server);
    if (!resolution.enabled) {
      skipped.push({ server: server.name, reason: resolution.detail });
      continue;
    }
    const { image } = buildDockerRunArgs(server, resolution, {});
    images.set(image, [...(images.get(image) ?? []), server.name]);
  }
  return { images, skipped };
}

/** Sum of the per-layer byte counts of one image's pull. */
export class PullTally {
  private readonly layers = new Map<string, { current: number; total: number }>();
  status = "Waiting";

  update(event: PullProgress): void {
    this.status = event.status;
    if (event.layer === undefined) return;
    const layer = this.layers.get(event.layer) ?? { current: 0, total: 0 };
    if (event.total !== undefined && event.total > 0) layer.total = event.total;
    if (event.current !== undefined) layer.current = Math.max(layer.current, event.current);
    if (/complete|already exists/i.test(event.status) && layer.total > 0) layer.current = layer.total;
    this.layers.set(event.layer, layer);
  }

  get current(): number {
    let sum = 0;
    for (const layer of this.layers.values()) sum += layer.current;
    return sum;
  }

  get total(): number {
    let sum = 0;
    for (const layer of this.layers.values()) sum += layer.total;
    return sum;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function registerImagesCommands(program: Command, ctx: CliContext): void {
  const images = program
    .command("images")
    .description("Docker images of isolated servers")
    .addHelpText(
      "after",
      examples("mcpproxy images pull", "mcpproxy images prepare", "mcpproxy images list"),
    );
  registerPreparedImageCommands(images, ctx);

  images
    .command("pull")
    .description(
      "Pull the images the config's isolated servers need (all enabled servers, or the named ones)",
    )
    .argument("[servers...]", "server names (default: every enabled server)")
    .option("--json", "print { images: [{ image, servers, status, error }], skipped } as JSON")
    .addHelpText("after", examples("mcpproxy images pull", "mcpproxy images pull github filesystem --json"))
    .action(async (names: string[], options: PullOptions, command: Command) => {
      const loaded = await loadConfigOrThrow(ctx, globalOptions(command).config);
      const servers =
        names.length > 0
          ? names.map((name) => findServer(loaded, name))
          : loaded.config.mcpServers.filter((server) => server.enabled);
      const needed = imagesNeeded(loaded.config, servers);

      if (needed.images.size > 0) {
        const engine = await getEngineInfo();
        if (!engine.reachable) {
          throw new CliError("DOCKER_UNAVAILABLE", engine.error ?? "The Docker engine is not reachable.", {
            fix: ENGINE_FIX,
          });
        }
      }

      const bars =
        !options.json && ctx.stderr.isTTY === true
          ? new cliProgress.MultiBar(
              {
                stream: process.stderr,
                format: "{image} |{bar}| {percentage}% {bytes} {status}",
                hideCursor: true,
                clearOnComplete: false,
                barsize: 24,
              },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      const width = Math.max(0, ...[...needed.images.keys()].map((image) => image.length));

      const pulls = Promise.all(
        [...needed.images].map(async ([image, imageServers]): Promise<ImageResult> => {
          if (await imageExists(image)) return { image, servers: imageServers, status: "present" };
          const tally = new PullTally();
          const bar = bars?.create(1, 0, { image: image.padEnd(width), bytes: "", status: "Waiting" });
          if (bar === undefined && !options.json) println(ctx.stderr, `Pulling ${image} …`);
          try {
            await pullImage(image, {
              onProgress: (event) => {
                tally.update(event);
                const total = Math.max(tally.total, 1);
                bar?.setTotal(total);
                bar?.update(Math.min(tally.current, total), {
                  bytes: tally.total > 0 ? `${megabytes(tally.current)}/${megabytes(tally.total)}` : "",
                  status: tally.status,
                });
              },
            });
            bar?.update(bar.getTotal(), { status: "Pulled" });
            return { image, servers: imageServers, status: "pulled" };
          } catch (error) {
            bar?.update({ status: "Failed" });
            const message = error instanceof Error ? error.message : String(error);
            return { image, servers: imageServers, status: "failed", error: message };
          }
        }),
      );
      let results: ImageResult[];
      try {
        results = await pulls;
      } finally {
        bars?.stop();
      }

      if (options.json) printJson(ctx, { images: results, skipped: needed.skipped });
      else printSummary(ctx, results, needed.skipped);
      const failed = results.filter((result) => result.status === "failed");
      if (failed.length > 0) {
        throw new CliError(
          "IMAGE_PULL_FAILED",
          `${failed.length} of ${results.length} image${results.length === 1 ? "" : "s"} could not be pulled: ${failed.map((result) => result.image).join(", ")}.`,
          {
            fix: "Check the image names (isolation.image, docker_isolation.default_images) and your registry access (`docker login`), then run `mcpproxy images pull` again.",
          },
        );
      }
    });
}

function printSummary(
  ctx: CliContext,
  results: readonly ImageResult[],
  skipped: readonly SkippedServer[],
): void {
  const { out } = ctx;
  if (results.length === 0) println(ctx.stdout, "No server in the config runs in Docker: nothing to pull.");
  for (const result of results) {
    const used = `(${result.servers.join(", ")})`;
    if (result.status === "present")
      println(ctx.stdout, `${out.green("✓")} ${result.image} already present ${used}`);
    else if (result.status === "pulled")
      println(ctx.stdout, `${out.green("✓")} ${result.image} pulled ${used}`);
    else println(ctx.stdout, `${out.red("✗")} ${result.image} ${used}: ${result.error ?? "pull failed"}`);
  }
  for (const skip of skipped)
    println(ctx.stdout, out.dim(`- ${skip.server}: no image needed (${skip.reason})`));
}
