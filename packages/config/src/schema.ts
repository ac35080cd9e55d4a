// The zod schema of mcp_config.json. Format checks attach our own message and
// issue code (params.code) so validate.ts can report them as they are.
// Cross-field rules (unique names, unknown keys, map form) live in validate.ts.
import { CPUS_PATTERN, MEMORY_SIZE_PATTERN } from "@mcpproxy/docker-grammar";
import { z } from "zod";
import { DEFAULT_LISTEN, DEFAULT_PULL_TIMEOUT, DOCKER_ISOLATION_DEFAULTS } from "./defaults.ts";
import {
  capabilityProblem,
  containerPathProblem,
  cpuProblem,
  durationProblem,
  extraArgProblem,
  imageProblem,
  listenProblem,
  LOG_LEVELS,
  memoryProblem,
  networkProblem,
  registryProblem,
  serverNameProblem,
  TOOLS_MODES,
  ALLOW_POLICIES,
  userProblem,
  volumeProblem,
} from "./formats.ts";
import type { ConfigIssueCode } from "./issues.ts";
import type { McpProxyConfig } from "./types.ts";

function formatted(
  problem: (text: string) => string | undefined,
  code: ConfigIssueCode,
  meta: { description: string; examples?: string[]; pattern?: string },
) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const message = problem(value);
      if (message !== undefined) ctx.addIssue({ code: "custom", message, params: { code } });
    })
    .meta(meta);
}

function nonEmpty(code: ConfigIssueCode, hint: string, description: string) {
  return formatted((text) => (text.trim() === "" ? `is empty; ${hint}` : undefined), code, { description });
}

const memory = formatted(memoryProblem, "INVALID_MEMORY", {
  description: 'Docker memory size: "512m", "1g", "1.5g", or bytes (at least 6m).',
  examples: ["512m", "1g"],
  pattern: MEMORY_SIZE_PATTERN,
});
const cpus = formatted(cpuProblem, "INVALID_CPU", {
  description: 'Number of CPUs as a positive decimal string, e.g. "1.0" or "0.5".',
  examples: ["1.0", "0.5"],
  pattern: CPUS_PATTERN,
});
const duration = formatted(durationProblem, "INVALID_DURATION", {
  description: 'Go-style duration: "500ms", "30s", "1m30s".',
  examples: ["30s", "1m30s"],
  pattern: "^\\+?((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+$",
});
const network = formatted(networkProblem, "INVALID_NETWORK", {
  description: 'Docker network: "bridge", "host", "none", "container:NAME" or a user-defined network name.',
  examples: ["bridge", "none", "host"],
});
const image = formatted(imageProblem, "INVALID_IMAGE", {
  description: 'Docker image reference, e.g. "python:3.11" or "ghcr.io/org/image:tag".',
});
const extraArgs = z
  .array(formatted(extraArgProblem, "INVALID_EXTRA_ARG", { description: "One `docker run` argument." }))
  .meta({ description: 'Extra `docker run` arguments, one argument per item, e.g. ["--cap-drop=ALL"].' });

const hardeningShape = {
  pids_limit: z
    .number()
    .superRefine((value, ctx) => {
      if (!Number.isInteger(value) || value < 1) {
        const message = `${value} is not a process count; use a whole number of at least 1, e.g. 256`;
        ctx.addIssue({ code: "custom", message, params: { code: "INVALID_PIDS_LIMIT" } });
      }
    })
    .meta({ type: "integer", minimum: 1, description: "`--pids-limit`: most processes in the container." })
    .optional(),
  read_only: z
    .boolean()
    .meta({ description: "`--read-only` root filesystem (with a tmpfs on /tmp)." })
    .optional(),
  cap_drop: z
    .array(formatted(capabilityProblem, "INVALID_CAPABILITY", { description: "A Linux capability name." }))
    .meta({ description: '`--cap-drop` for each entry, e.g. ["ALL"].' })
    .optional(),
  no_new_privileges: z.boolean().meta({ description: "`--security-opt no-new-privileges`." }).optional(),
  user: formatted(userProblem, "INVALID_USER", {
    description: '`--user`: a name or UID[:GID], e.g. "1000:1000".',
  }).optional(),
};

export const DockerIsolationSchema = z
  .object({
    enabled: z
      .boolean()
      .default(DOCKER_ISOLATION_DEFAULTS.enabled)
      .meta({ description: "Run stdio servers in Docker containers, unless a server opts out." }),
    memory_limit: memory.default(DOCKER_ISOLATION_DEFAULTS.memory_limit),
    cpu_limit: cpus.default(DOCKER_ISOLATION_DEFAULTS.cpu_limit),
    timeout: duration.default(DOCKER_ISOLATION_DEFAULTS.timeout).meta({
      description:
        "How long a server may take to start (container and initialize); an image pull does not count.",
    }),
    pull_timeout: duration.optional().meta({
      description: `How long pulling a missing image may take (default ${DEFAULT_PULL_TIMEOUT}); servers sharing an image share one pull.`,
    }),
    network_mode: network.default(DOCKER_ISOLATION_DEFAULTS.network_mode),
    registry: formatted(registryProblem, "INVALID_REGISTRY", {
      description: 'Registry host[:port] for images without one, e.g. "docker.io".',
    }).default(DOCKER_ISOLATION_DEFAULTS.registry),
    default_images: z
      .record(z.string(), image)
      .default(() => ({}))
      .meta({
        description: "Command or runtime → image. Entries given here override the defaults; the rest stay.",
      }),
    extra_args: extraArgs.default(() => []),
    prepare: z.boolean().default(DOCKER_ISOLATION_DEFAULTS.prepare).meta({
      description:
        "Build a local image per package-runner server (npx, uvx, …) with its package pinned, instead of downloading it on every start.",
    }),
    ...hardeningShape,
  })
  .meta({ description: "Global Docker isolation settings; every server inherits them." });

export const ServerIsolationSchema = z
  .object({
    enabled: z
      .boolean()
      .meta({
        description: "true: isolate even when the global switch is off; false: never isolate this server.",
      })
      .optional(),
    image: image.optional(),
    memory_limit: memory.optional(),
    cpu_limit: cpus.optional(),
    network_mode: network.optional(),
    working_dir: formatted(containerPathProblem, "INVALID_CONTAINER_PATH", {
      description: "Working directory inside the container (absolute).",
    }).optional(),
    extra_args: extraArgs.optional(),
    prepare: z
      .boolean()
      .meta({ description: "Overrides docker_isolation.prepare for this server." })
      .optional(),
    volumes: z
      .array(
        formatted(volumeProblem, "INVALID_VOLUME", {
          description: '"/abs/host:/abs/container" with an optional ":ro" or ":rw".',
          examples: ["/home/me/data:/data:ro"],
        }),
      )
      .optional(),
    ...hardeningShape,
  })
  .meta({ description: "Per-server isolation; each field overrides docker_isolation." });

const serverName = formatted(serverNameProblem, "INVALID_SERVER_NAME", {
  description: "Unique name; also names the container and the log file.",
  pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
});

const serverFields = {
  command: nonEmpty("MISSING_FIELD", 'use the program to run, e.g. "npx" or "uvx"', "Program to run."),
  args: z.array(z.string()).default(() => []),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
    .default(() => ({}))
    .meta({ description: "Environment variables passed to the server (and into its container)." }),
  working_dir: nonEmpty(
    "EMPTY_VALUE",
    "remove it or give a directory",
    "Working directory when not isolated.",
  ),
  enabled: z
    .boolean()
    .default(true)
    .meta({ description: "false: the server is configured but not started." }),
  isolation: ServerIsolationSchema.optional(),
  inherit_env: z
    .boolean()
    .meta({
      description:
        "Not isolated only: true passes the proxy's whole environment to the server; by default it gets HOME, PATH, USER, SHELL, TERM, LOGNAME and locale/temp essentials, plus its own env.",
    })
    .optional(),
};

/** Smallest activity log size cap: below this a handful of calls would already be pruned. */
export const MIN_ACTIVITY_LOG_BYTES = 65_536;

const securityServerFields = {
  allow: z
    .enum(ALLOW_POLICIES)
    .meta({
      description:
        '"all" (default): every tool may be called; "read-only": only tools annotated readOnlyHint: true, write/destructive calls are refused.',
    })
    .optional(),
  log_argument_values: z
    .boolean()
    .meta({
      description:
        "true: the activity log also keeps this server's argument values (secrets redacted); by default only argument names and sizes.",
    })
    .optional(),
};

export const ServerSchema = z.object({
  name: serverName,
  command: serverFields.command,
  args: serverFields.args,
  env: serverFields.env,
  working_dir: serverFields.working_dir.optional(),
  enabled: serverFields.enabled,
  isolation: serverFields.isolation,
  inherit_env: serverFields.inherit_env,
  ...securityServerFields,
});

export const ConfigSchema = z.object({
  listen: formatted(listenProblem, "INVALID_LISTEN", {
    description: "host:port of the proxy's HTTP listener.",
  }).default(DEFAULT_LISTEN),
  api_key: nonEmpty(
    "EMPTY_VALUE",
    "remove it and one is generated",
    "Key clients must send; generated when absent.",
  ).optional(),
  allow_loopback_without_key: z.boolean().default(false).meta({
    description:
      "true: on a loopback listen address, /mcp and the REST API answer without the api_key. Any local process (or a container with host networking) can then use every upstream tool.",
  }),
  data_dir: nonEmpty(
    "EMPTY_VALUE",
    "remove it or give a directory",
    "Directory for the proxy's data.",
  ).optional(),
  log_dir: nonEmpty(
    "EMPTY_VALUE",
    "remove it or give a directory",
    "Directory for the log files.",
  ).optional(),
  log_level: z.enum(LOG_LEVELS).default("info"),
  tools_mode: z.enum(TOOLS_MODES).default("retrieve").meta({
    description: '"retrieve": retrieve_tools + call_tool; "direct": every tool as <server>__<tool>.',
  }),
  docker_isolation: DockerIsolationSchema.prefault({}),
  quarantine_new_servers: z
    .boolean()
    .meta({
      description:
        "true: every server the proxy has not seen before starts quarantined (its tools hidden until approved), also those in the file at the first start. Servers added while running are always quarantined.",
    })
    .optional(),
  activity_log_max_bytes: z
    .number()
    .superRefine((value, ctx) => {
      if (!Number.isInteger(value) || value < MIN_ACTIVITY_LOG_BYTES) {
        const message = `${value} is not a size in bytes of at least ${MIN_ACTIVITY_LOG_BYTES}; use a whole number, e.g. 67108864 (64 MiB)`;
        ctx.addIssue({ code: "custom", message, params: { code: "INVALID_SIZE" } });
      }
    })
    .meta({
      type: "integer",
      minimum: MIN_ACTIVITY_LOG_BYTES,
      description:
        "Size cap of the activity log of tool calls (security.db next to the logs); the oldest calls are pruned past it. Default 64 MiB.",
    })
    .optional(),
  mcpServers: z.array(ServerSchema).default(() => []),
});

/** The file as people write it: mcpServers may also be an object map keyed by server name. */
export const ConfigFileSchema = ConfigSchema.extend({
  $schema: z.string().optional(),
  mcpServers: z
    .union([
      z.array(ServerSchema),
      z.record(
        serverName,
        ServerSchema.extend({
          name: serverName.optional().meta({ description: "Must equal the key when given." }),
        }),
      ),
    ])
    .optional(),
});

// The schema's output must be the contract other packages code against.
const _outputIsTheContract = (config: z.output<typeof ConfigSchema>): McpProxyConfig => config;
