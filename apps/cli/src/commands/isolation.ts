// `mcpproxy isolation show SERVER`: the effective isolation settings of one
// server and a copy-pasteable `docker run` line that reproduces its container
// by hand (docker-args' by-hand rendering of the same ContainerSpec).
import type { Command } from "commander";
import { resolveIsolation } from "@mcpproxy/config";
import {
  buildContainerSpec,
  dockerProcessEnv,
  dockerRunArgsForLog,
  formatDockerCommand,
  MASK,
  renderCreateRequest,
  renderDockerRunArgv,
  renderedLabels,
  shellQuote,
} from "@mcpproxy/docker-args";
import { findServer, loadConfigOrThrow } from "../config-file.ts";
import { printJson, println, type CliContext } from "../io.ts";
import { examples, globalOptions } from "../command-helpers.ts";
import { preparedPin, type PreparedPin } from "./images-prepared.ts";

interface ShowOptions {
  showSecrets?: boolean;
  json?: boolean;
}

export function registerIsolationCommands(program: Command, ctx: CliContext): void {
  const isolation = program
    .command("isolation")
    .description("How a server is isolated in Docker")
    .addHelpText("after", examples("mcpproxy isolation show github"));

  isolation
    .command("show")
    .description("The effective isolation settings of a server and its `docker run` line (secrets masked)")
    .argument("<server>", "server name from the config")
    .option("--show-secrets", "print env values in the docker command instead of ***")
    .option("--json", "print { server, isolation, docker } as JSON")
    .addHelpText(
      "after",
      examples("mcpproxy isolation show github", "mcpproxy isolation show github --show-secrets --json"),
    )
    .action(async (name: string, options: ShowOptions, command: Command) => {
      const loaded = await loadConfigOrThrow(ctx, globalOptions(command).config);
      const server = findServer(loaded, name);
      const resolution = resolveIsolation(loaded.config, server);
      const maskSecrets = options.showSecrets !== true;
      const { out } = ctx;

      if (!resolution.enabled) {
        if (options.json) {
          printJson(ctx, { server: name, isolation: resolution, docker: null });
          return;
        }
        println(ctx.stdout, `${out.bold(name)}: isolation ${out.yellow("off")} (${resolution.reason})`);
        println(ctx.stdout, `  why: ${resolution.detail}`);
        println(
          ctx.stdout,
          `  runs on the host: ${[server.command, ...server.args].map(shellQuote).join(" ")}`,
        );
        return;
      }

      // A prepared image runs instead of the runner when it is built (what serve runs).
      const pin = await preparedPin(loaded.config, name);
      const runs =
        pin.image === null || pin.tag === null
          ? { server, resolution }
          : {
              server: { ...server, args: pin.args ?? [] },
              resolution: { ...resolution, prepared_image: pin.tag },
            };
      // By hand: no --name (never clashes with the running container), no cidfile,
      // --rm, and no managed-by label (the proxy's orphan sweep leaves it alone).
      const spec = buildContainerSpec(runs.server, runs.resolution, { nameSuffix: "manual" });
      const docker = {
        ...spec,
        argv: renderDockerRunArgv(spec, { byHand: true }),
        env: dockerProcessEnv(spec),
      };
      const dockerCommand = formatDockerCommand(docker, { maskSecrets });
      if (options.json) {
        printJson(ctx, {
          server: name,
          isolation: resolution,
          prepared: pin.prepare ? preparedJson(pin) : null,
          docker: {
            image: docker.image,
            runtime: docker.runtime,
            labels: renderedLabels(spec, { byHand: true }),
            command: dockerCommand,
            argv: maskSecrets ? dockerRunArgsForLog(docker) : docker.argv,
            env: maskSecrets
              ? Object.fromEntries(Object.keys(docker.env).map((key) => [key, MASK]))
              : docker.env,
            warnings: docker.warnings,
            // extra_args the Engine API cannot carry (those need the docker CLI).
            needsCli: renderCreateRequest(spec).needsCli,
          },
        });
        return;
      }

      const rows: [string, string][] = [
        ["image", `${docker.image} (runtime: ${docker.runtime})`],
        ["memory", resolution.memory_limit],
        ["cpus", resolution.cpu_limit],
        ["network", resolution.network_mode],
        ["startup timeout", `${resolution.timeout_ms / 1000}s`],
      ];
      if (resolution.working_dir !== undefined) rows.push(["working dir", resolution.working_dir]);
      if (resolution.volumes.length > 0) rows.push(["volumes", resolution.volumes.join(", ")]);
      if (resolution.extra_args.length > 0) rows.push(["extra args", resolution.extra_args.join(" ")]);
      const hardening = hardeningWords(resolution);
      if (hardening.length > 0) rows.push(["hardening", hardening.join(", ")]);
      if (pin.prepare) rows.push(["prepared", preparedWords(pin)]);
      const envKeys = Object.keys(server.env);
      if (envKeys.length > 0) rows.push(["env", envKeys.join(", ")]);

      println(ctx.stdout, `${out.bold(name)}: isolation ${out.green("on")}`);
      const width = Math.max(...rows.map(([label]) => label.length));
      for (const [label, value] of rows) println(ctx.stdout, `  ${label.padEnd(width)}  ${value}`);
      for (const warning of docker.warnings)
        println(ctx.stdout, `  ${out.yellow("warning")} ${warning.message}`);
      println(ctx.stdout);
      println(
        ctx.stdout,
        out.dim(
          maskSecrets ? "# docker command (secrets masked; --show-secrets to reveal)" : "# docker command",
        ),
      );
      println(ctx.stdout, dockerCommand);
    });
}

function hardeningWords(settings: {
  pids_limit?: number | undefined;
  read_only?: boolean | undefined;
  cap_drop?: string[] | undefined;
  no_new_privileges?: boolean | undefined;
  user?: string | undefined;
}): string[] {
  const words: string[] = [];
  if (settings.pids_limit !== undefined) words.push(`pids-limit ${settings.pids_limit}`);
  if (settings.read_only === true) words.push("read-only rootfs");
  if (settings.cap_drop !== undefined && settings.cap_drop.length > 0)
    words.push(`cap-drop ${settings.cap_drop.join(",")}`);
  if (settings.no_new_privileges === true) words.push("no-new-privileges");
  if (settings.user !== undefined) words.push(`user ${settings.user}`);
  return words;
}

function preparedJson(pin: PreparedPin): Record<string, unknown> {
  const labels = pin.image?.labels;
  return {
    image: pin.tag,
    image_id: pin.image?.imageId ?? null,
    package: labels?.package.name ?? null,
    version: labels?.package.version ?? null,
    integrity: labels?.package.integrity ?? null,
    packages: labels?.packages ?? [],
    reason: pin.reason,
  };
}

/** "mcpproxy-prepared/x:hash: @scope/pkg@1.2.3 (sha512-…)", or why none runs. */
function preparedWords(pin: PreparedPin): string {
  const labels = pin.image?.labels;
  if (labels === undefined) return `none (${pin.reason ?? "not built"})`;
  const integrity = labels.package.integrity === "" ? "" : ` (${labels.package.integrity})`;
  return `${pin.tag ?? ""}: ${labels.package.name}@${labels.package.version}${integrity}`;
}
