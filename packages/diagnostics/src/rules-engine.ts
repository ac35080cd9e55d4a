// Rules for failures around the container engine: context, engine, image,
// Docker-in-Docker and programs missing from the image.
import { CONTAINER_RUNTIME_COMMANDS, commandBaseName } from "@mcpproxy/config";
import { withoutTtyFlag } from "./docker-argv.ts";
import type { Finding } from "./findings.ts";
import { isolationSnippet, matching, serverSnippet, type RuleContext } from "./rule-context.ts";

const CONTEXT_NOT_FOUND = /context "([^"]+)": context not found|unable to resolve docker endpoint/i;
const DAEMON_DOWN = /Cannot connect to the Docker daemon at (\S+?)\.? Is the docker daemon running/i;
const SOCKET_DENIED =
  /permission denied while trying to connect to the Docker daemon socket at (\w+:\/\/[^\s:]+)/i;
const ENGINE_DOWN_OTHER = /error during connect|docker daemon is not running|Is the docker daemon running/i;
const ENGINE_ERROR_CODES = /^(ENGINE_UNAVAILABLE|ENGINE_UNREACHABLE|DOCKER_UNAVAILABLE|ENGINE_NOT_RUNNING)$/;

const NOT_A_TTY = /the input device is not a TTY|cannot enable tty mode on non tty input/i;
const RUNTIME_MISSING = new RegExp(
  `exec: "?(?:\\S*/)?(${CONTAINER_RUNTIME_COMMANDS.join("|")})"?: executable file not found|` +
    `(?:^|\\s)(${CONTAINER_RUNTIME_COMMANDS.join("|")}): (?:command )?not found`,
  "i",
);

const PULL_FAILED = new RegExp(
  [
    // With or without the CLI's "Error response from daemon:" prefix (lifecycle strips it).
    /pull access denied for \S+|manifest (?:for \S+ )?(?:unknown|not found)|No such image: \S+|Get "https?:\/\/[^"]*\/v2\//
      .source,
    // Generic network words only in the engine's own error line.
    /Error response from daemon: .*(?:repository does not exist|no such host|i\/o timeout|TLS handshake timeout|toomanyrequests|unauthorized)/
      .source,
  ].join("|"),
  "i",
);
const IMAGE_ERROR_CODES = /^(IMAGE_NOT_FOUND|IMAGE_PULL_FAILED|PULL_FAILED|IMAGE_MISSING)$/;

const EXEC_MISSING =
  /exec: "([^"]+)": (?:executable file not found in \$PATH|stat \S+: no such file or directory)|^(?:\/bin\/)?sh: (?:\d+: )?([^:\s]+): (?:command )?not found|exec (\/\S+): no such file or directory/i;

/** The engine is reachable from nowhere but a context that does not exist, or whose endpoint is down. */
export function dockerContextRule(ctx: RuleContext): Finding | undefined {
  const engine = ctx.evidence.engine;
  const notFound = matching(ctx, CONTEXT_NOT_FOUND);
  if (notFound.length > 0) {
    const name = /context "([^"]+)": context not found/i.exec(notFound.join("\n"))?.[1];
    return {
      code: "docker-context",
      title: name ? `Docker context "${name}" does not exist` : "The Docker context cannot be resolved",
      evidence: notFound,
      fix:
        "Switch to a context that exists: `docker context ls` lists them (the current one has *), " +
        "`docker context use default` selects the local engine. If DOCKER_CONTEXT is set in mcpproxy's " +
        "environment, unset it or name an existing context. Restart mcpproxy afterwards: it reads the context at start.",
    };
  }
  const context = engine?.context;
  if (context === undefined || context === "default" || !engineLooksDown(ctx)) return undefined;
  const endpoint = engine?.endpoint ?? endpointFromLines(ctx) ?? "its endpoint";
  return {
    code: "docker-context",
    title: `Docker context "${context}" points at an engine that is not running (${endpoint})`,
    evidence: [`current docker context: ${context} (${endpoint})`, ...engineLines(ctx)],
    fix:
      `mcpproxy uses the current Docker context "${context}", whose engine at ${endpoint} does not answer. ` +
      `Start that engine (for Colima: \`colima start\`; for Docker Desktop: open it), or switch to a running one ` +
      "with `docker context use default`. Check with `docker info`, then restart mcpproxy.",
  };
}

export function engineUnreachableRule(ctx: RuleContext): Finding | undefined {
  if (!engineLooksDown(ctx)) return undefined;
  const engine = ctx.evidence.engine;
  const denied = matching(ctx, SOCKET_DENIED);
  const endpoint = engine?.endpoint ?? endpointFromLines(ctx) ?? "the Docker socket";
  const evidence = engineLines(ctx);
  if (engine?.reachable === false)
    evidence.push(`engine check: ${engine.error ?? `${endpoint} does not answer`}`);
  if (ctx.evidence.errorCode !== undefined && ENGINE_ERROR_CODES.test(ctx.evidence.errorCode)) {
    evidence.push(`error code: ${ctx.evidence.errorCode}`);
  }
  if (denied.length > 0) {
    return {
      code: "engine-unreachable",
      title: `No permission to use the Docker engine at ${endpoint}`,
      evidence,
      fix:
        "The user running mcpproxy may not open the Docker socket. Add it to the docker group " +
        "(`sudo usermod -aG docker $USER`, then log out and in) or run mcpproxy as a user that can; " +
        "`docker info` must work for that user.",
    };
  }
  return {
    code: "engine-unreachable",
    title: `The Docker engine is not reachable at ${endpoint}`,
    evidence,
    fix:
      `Start the Docker engine (Docker Desktop, \`colima start\`, or \`sudo systemctl start docker\`) so that ` +
      `\`docker info\` succeeds. mcpproxy talks to ${endpoint}` +
      (engine?.context ? ` (docker context "${engine.context}")` : "") +
      "; if DOCKER_HOST is set in mcpproxy's environment, make sure it names a running engine. " +
      "Until the engine runs, isolated servers cannot start.",
  };
}

/**
 * The engine answers over its API (isolated servers start without the CLI), but this
 * server needs the docker CLI for something the API path does not do, and it does not run.
 */
export function dockerCliMissingRule(ctx: RuleContext): Finding | undefined {
  const { dockerCli, cliNeeds } = ctx.evidence;
  if (dockerCli?.available !== false || cliNeeds === undefined || cliNeeds.length === 0) return undefined;
  return {
    code: "docker-cli-missing",
    title: `The docker CLI does not run, and this server needs it ${cliNeeds.join(", ")}`,
    evidence: [
      `docker CLI check: ${dockerCli.error ?? "it did not answer"}`,
      ...cliNeeds.map((need) => `needed ${need}`),
    ],
    fix:
      "Install the Docker CLI (Docker Desktop ships it; on Debian/Ubuntu `apt-get install docker.io` or " +
      "docker-ce-cli) or put the directory that holds `docker` on mcpproxy's PATH; `docker version` must work " +
      "for the user running mcpproxy. Containers themselves start through the Engine API without it; pulls " +
      "(your registry credentials and credential helpers), prepared-image builds and the extra_args options " +
      "the API cannot carry run the CLI.",
  };
}

function engineLooksDown(ctx: RuleContext): boolean {
  if (ctx.evidence.engine?.reachable === false) return true;
  if (ctx.evidence.errorCode !== undefined && ENGINE_ERROR_CODES.test(ctx.evidence.errorCode)) return true;
  return engineLines(ctx).length > 0;
}

function engineLines(ctx: RuleContext): string[] {
  return matching(
    ctx,
    new RegExp(`${DAEMON_DOWN.source}|${SOCKET_DENIED.source}|${ENGINE_DOWN_OTHER.source}`, "i"),
  );
}

function endpointFromLines(ctx: RuleContext): string | undefined {
  for (const line of ctx.lines) {
    const endpoint = DAEMON_DOWN.exec(line)?.[1] ?? SOCKET_DENIED.exec(line)?.[1];
    if (endpoint) return endpoint;
  }
  return undefined;
}

export function imageNotFoundRule(ctx: RuleContext): Finding | undefined {
  const lines = matching(ctx, PULL_FAILED, 2);
  const byCode = ctx.evidence.errorCode !== undefined && IMAGE_ERROR_CODES.test(ctx.evidence.errorCode);
  const missingLocally = ctx.evidence.imageExists === false;
  if (lines.length === 0 && !byCode && !missingLocally) return undefined;
  const image = imageFromLines(ctx) ?? ctx.image;
  const evidence = [...matching(ctx, /Unable to find image '[^']+' locally/, 1), ...lines];
  if (byCode) evidence.push(`error code: ${ctx.evidence.errorCode}`);
  if (missingLocally) evidence.push(`image ${image ?? "(unknown)"} is not in the local image store`);
  const pulled = lines.length > 0 || byCode;
  const imageWords = image ?? "the image";
  return {
    code: "image-not-found",
    title: pulled
      ? `Image ${imageWords} is not available locally and could not be pulled`
      : `Image ${imageWords} is not available locally`,
    evidence,
    fix:
      `Pull it while the registry is reachable: \`docker pull ${image ?? "IMAGE"}\` (check the name and tag; ` +
      "private registries need `docker login` first). Or set this server's `isolation.image` to an image that " +
      "is already local (`docker images` lists them). The proxy pulls a missing image before the start, within " +
      "`docker_isolation.pull_timeout`; the startup timeout only counts from when the container starts.",
  };
}

function imageFromLines(ctx: RuleContext): string | undefined {
  const patterns = [
    /Unable to find image '([^']+)' locally/,
    /No such image: ([^\s]+)/i,
    /pull access denied for ([^,\s]+)/i,
    /manifest for (\S+) (?:not found|unknown)/i,
  ];
  for (const line of ctx.lines) {
    for (const pattern of patterns) {
      const image = pattern.exec(line)?.[1];
      if (image) return image;
    }
  }
  return undefined;
}

export function dockerInDockerRule(ctx: RuleContext): Finding | undefined {
  const command = ctx.evidence.command;
  const serverIsRuntime =
    command !== undefined && CONTAINER_RUNTIME_COMMANDS.includes(commandBaseName(command));
  const nested =
    ctx.isolated === true &&
    ((ctx.program !== undefined && CONTAINER_RUNTIME_COMMANDS.includes(ctx.program)) || serverIsRuntime);
  const tty = matching(ctx, NOT_A_TTY);
  const missingCli = ctx.isolated === false ? [] : matching(ctx, RUNTIME_MISSING);
  if (tty.length === 0 && missingCli.length === 0 && !nested) return undefined;

  const args = ctx.evidence.args;
  const fixedArgs = args && (serverIsRuntime || tty.length > 0) ? withoutTtyFlag(args) : undefined;
  const evidence = [...tty, ...missingCli];
  if (nested) evidence.push(`the command \`${command ?? ctx.program}\` runs inside an isolation container`);
  if (fixedArgs) evidence.push(`the server's own args ask for a TTY: ${JSON.stringify(args)}`);
  const disable = serverIsRuntime || nested || missingCli.length > 0;
  const fields: Record<string, unknown> = {};
  if (fixedArgs) fields["args"] = fixedArgs;
  if (disable) fields["isolation"] = { enabled: false };

  const steps: string[] = [];
  if (disable) {
    steps.push(
      "This server is itself a container command; wrapping it in Docker isolation nests containers " +
        "(Docker-in-Docker), which fails. Disable isolation explicitly for it: `isolation.enabled: false`.",
    );
  }
  if (tty.length > 0) {
    steps.push(
      fixedArgs
        ? "`-t` asks Docker for a terminal, but mcpproxy talks to servers over pipes: keep `-i`, drop `-t` " +
            `(args become ${JSON.stringify(fixedArgs)}).`
        : "A `docker run -t`/`-it` asks for a terminal, but mcpproxy talks to servers over pipes: use `-i` without `-t`.",
    );
  }
  return {
    code: "docker-in-docker",
    title:
      tty.length > 0
        ? 'Docker-in-Docker: "the input device is not a TTY"'
        : "Docker-in-Docker: the server's container command runs inside an isolation container",
    evidence,
    fix: steps.join(" "),
    ...(Object.keys(fields).length > 0 ? { configSnippet: serverSnippet(ctx, fields) } : {}),
  };
}

/** Images that are known to provide a program, when the config's default_images does not help. */
const KNOWN_IMAGES: Record<string, string> = {
  uvx: "ghcr.io/astral-sh/uv:python3.12-bookworm-slim",
  uv: "ghcr.io/astral-sh/uv:python3.12-bookworm-slim",
};

export function commandNotInImageRule(ctx: RuleContext): Finding | undefined {
  if (ctx.isolated === false) return undefined;
  const lines = matching(ctx, EXEC_MISSING, 2);
  if (lines.length === 0) return undefined;
  const match = EXEC_MISSING.exec(lines[0] ?? "");
  const program = match?.[1] ?? match?.[2] ?? match?.[3] ?? ctx.program ?? "the command";
  const base = commandBaseName(program);
  const evidence = [...lines];
  if (ctx.exitCode === 127) evidence.push("exit code 127 (command not found)");
  const effective = ctx.evidence.isolation?.enabled ? ctx.evidence.isolation : undefined;
  const configured = effective?.default_images[base];
  const suggestion = configured !== undefined && configured !== ctx.image ? configured : KNOWN_IMAGES[base];
  const fix =
    `The image ${ctx.image ?? "in use"} has no \`${program}\`. Run the server in an image that provides it by ` +
    `setting \`isolation.image\`` +
    (suggestion ? ` (for example ${suggestion})` : "") +
    `, or build one on top of it that installs ${program}. Check by hand: ` +
    `\`docker run --rm -i ${ctx.image ?? "IMAGE"} which ${program}\`.`;
  return {
    code: "command-not-in-image",
    title: `The image has no ${program}`,
    evidence,
    fix,
    ...(suggestion ? { configSnippet: isolationSnippet(ctx, { image: suggestion }) } : {}),
  };
}
