// The log lines that the Docker isolation guide tells people to grep for, and
// the per-server stderr log. Each isolation line goes to main.log and to the
// server's own log.
import type { IsolationDisabledReason, IsolationResolution } from "@mcpproxy/config";
import { MASK, maskDockerArgv } from "@mcpproxy/docker-grammar";
import type { LogManager } from "./logs.ts";

/** The parts of a server's config these functions read. */
export interface LoggedServer {
  name: string;
  command?: string | undefined;
}

/**
 * What @mcpproxy/docker-args' buildDockerRunArgs returns, as far as logging
 * needs it (structural, so any compatible object works).
 */
export interface DockerRunDescription {
  /** `docker` arguments, starting with "run"; env values are not in it. */
  argv: readonly string[];
  /** Env passed to the docker CLI process; only used to mask these values should one appear in argv. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  image?: string | undefined;
  containerName?: string | undefined;
  runtime?: string | undefined;
  /** docker-args warnings ({ code, message }) or plain sentences; each becomes a warn line. */
  warnings?: readonly (string | { code?: string; message: string })[] | undefined;
}

export interface StartedContainer {
  id: string;
  name: string;
  image?: string | undefined;
}

export { MASK };

/**
 * A copy of a docker argv that is safe to log: values of `-e/--env KEY=VALUE`,
 * values of flags whose name looks secret (`--token x`, `--api-key=x`), and any
 * of the given secret strings are replaced by `***`. Bare `-e KEY` stays as is.
 * (@mcpproxy/docker-grammar's masker; this name is kept for the callers.)
 */
export function maskArgv(argv: readonly string[], secrets: readonly string[] = []): string[] {
  return maskDockerArgv(argv, secrets);
}

/** Why isolation is off, in the words the log line carries. */
export function isolationDisabledWords(reason: IsolationDisabledReason, command?: string): string {
  switch (reason) {
    case "global-disabled":
      return "global off: docker_isolation.enabled is false";
    case "server-disabled":
      return "server off: isolation.enabled is false for this server";
    case "container-runtime-command":
      return `Docker-in-Docker prevention: the command ${command ? `\`${command}\` ` : ""}is itself a container runtime`;
  }
}

/**
 * Logs the isolation decision for a server to main.log and server-<name>.log.
 * Enabled: `Docker isolation enabled for server: NAME` (image, limits, network),
 * then `docker_run_args for server: NAME` with the masked argv in the
 * `docker_run_args` field, then one warn line per docker-args warning.
 * Skipped: `Docker isolation disabled for server: NAME (why)`.
 */
export function logIsolationDecision(
  logs: LogManager,
  server: LoggedServer,
  resolution: IsolationResolution,
  dockerArgs?: DockerRunDescription,
): void {
  const name = server.name;
  const targets = [logs.main, logs.server(name)];
  if (!resolution.enabled) {
    const words = isolationDisabledWords(resolution.reason, server.command);
    for (const log of targets) {
      log.info(
        { server: name, isolation: "disabled", reason: resolution.reason, detail: resolution.detail },
        `Docker isolation disabled for server: ${name} (${words})`,
      );
    }
    return;
  }
  const settings = {
    server: name,
    isolation: "enabled",
    image: dockerArgs?.image ?? resolution.image,
    runtime: dockerArgs?.runtime,
    container_name: dockerArgs?.containerName,
    memory_limit: resolution.memory_limit,
    cpu_limit: resolution.cpu_limit,
    network_mode: resolution.network_mode,
    timeout_ms: resolution.timeout_ms,
  };
  for (const log of targets) log.info(settings, `Docker isolation enabled for server: ${name}`);
  if (!dockerArgs) return;
  const secrets = Object.values(dockerArgs.env ?? {}).filter((value): value is string => value !== undefined);
  const argv = maskArgv(dockerArgs.argv, secrets);
  for (const log of targets)
    log.info({ server: name, docker_run_args: argv }, `docker_run_args for server: ${name}`);
  for (const warning of dockerArgs.warnings ?? []) {
    const text = typeof warning === "string" ? warning : warning.message;
    const code = typeof warning === "string" ? undefined : warning.code;
    for (const log of targets) {
      log.warn({ server: name, warning: code }, `Docker isolation warning for server: ${name}: ${text}`);
    }
  }
}

/** `Docker isolation setup successful for server: NAME` with the container id and name, in both logs. */
export function logIsolationSetupSuccessful(
  logs: LogManager,
  name: string,
  container: StartedContainer,
): void {
  const fields = {
    server: name,
    container_id: container.id,
    container_name: container.name,
    image: container.image,
  };
  for (const log of [logs.main, logs.server(name)]) {
    log.info(fields, `Docker isolation setup successful for server: ${name}`);
  }
}

/**
 * Writes one stderr line of a server to server-<name>.log at info level with
 * `stream: "stderr"` (and a timestamp, like every line). Wire it to a
 * lifecycle handle with `handle.on("stderr", (line) => logServerStderr(logs, name, line))`.
 * A server that writes faster than its log file takes gets lines dropped and
 * counted rather than buffered (see LogManager.serverStderr).
 */
export function logServerStderr(logs: LogManager, name: string, line: string): void {
  logs.serverStderr(name, line);
}

/**
 * One JSON log line as a short human line: `TIME LEVEL msg`, with ` [stderr]`
 * marking server stderr. Lines that are not pino JSON come back unchanged.
 */
export function formatLogLine(line: string): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof record !== "object" || record === null) return line;
  const { time, level, msg, stream } = record as Record<string, unknown>;
  const parts = [
    typeof time === "string" ? time : "",
    typeof level === "string" ? level.toUpperCase() : "",
    stream === "stderr" ? "[stderr]" : "",
    typeof msg === "string" ? msg : "",
  ];
  return parts.filter((part) => part !== "").join(" ");
}

/** The `msg` of stderr records in server log lines (what the server printed), in order. */
export function stderrFromLogLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record["stream"] === "stderr" && typeof record["msg"] === "string") out.push(record["msg"]);
    } catch {
      // not a JSON line: not ours
    }
  }
  return out;
}

/**
 * Logs a server's start or crash error (e.g. a LifecycleError) at error level
 * to main.log and server-<name>.log, with the error under `err` (code, phase,
 * stderr tail...). The doctor reads the last such record back as evidence.
 */
export function logServerError(logs: LogManager, name: string, error: unknown, message?: string): void {
  const short =
    typeof (error as { shortMessage?: unknown } | null)?.shortMessage === "string"
      ? (error as { shortMessage: string }).shortMessage
      : error instanceof Error
        ? error.message
        : String(error);
  for (const log of [logs.main, logs.server(name)]) {
    log.error({ server: name, err: error }, message ?? `Server ${name} failed: ${short}`);
  }
}

/** The last error record logged by logServerError in these log lines: its code and message. */
export function lastErrorFromLogLines(
  lines: readonly string[],
): { code?: string; message?: string } | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(lines[i] as string) as Record<string, unknown>;
    } catch {
      continue;
    }
    const err = record["err"];
    if (record["level"] !== "error" || typeof err !== "object" || err === null) continue;
    const { code, shortMessage, message } = err as Record<string, unknown>;
    const text =
      typeof shortMessage === "string" ? shortMessage : typeof message === "string" ? message : undefined;
    return {
      ...(typeof code === "string" ? { code } : {}),
      ...(text !== undefined ? { message: text } : {}),
    };
  }
  return undefined;
}
