// runDoctor: the guide's debugging workflow done by the product, composed here
// (engine calls through lifecycle, classification by diagnostics). Engine and
// context; per server: isolation on/off and why, the image and whether it is
// local, the `docker run` line to try by hand, the latest container's state,
// the last log lines, and findings with fixes. Pure data out.
import {
  resolveIsolation,
  resolvePrepare,
  type IsolationDisabledReason,
  type McpProxyConfig,
  type ServerConfig,
} from "@mcpproxy/config";
import {
  buildDockerRunArgs,
  dockerRunArgsForLog,
  formatDockerCommand,
  renderCreateRequest,
  renderDockerRunArgv,
  shellQuote,
} from "@mcpproxy/docker-args";
import {
  containerLogs,
  getEngineInfo,
  imageExists,
  inspectContainer,
  listManagedContainers,
  type ContainerInfo,
  type DockerCliOptions,
  type EngineInfo,
} from "@mcpproxy/lifecycle";
import {
  checkConfigPermissions,
  diagnose,
  failureFromLogLines,
  formatLogLine,
  lastErrorFromLogLines,
  mergeEvidence,
  prepareAdvice,
  stderrFromLogLines,
  type ConfigPermissionWarning,
  type DiagnosisEvidence,
  type Finding,
  type FindingCode,
  type LogManager,
  type RecordedFailure,
} from "@mcpproxy/diagnostics";
import { ProxyError } from "./errors.ts";

export interface DoctorOptions {
  config: McpProxyConfig;
  /** The file `config` came from, to check who may read it (it holds the api_key and server secrets). */
  configPath?: string | undefined;
  /** Only this server (by name); default every server in the config. */
  server?: string | undefined;
  /** The proxy's logs, to read each server's last lines and last error. */
  logs?: LogManager | undefined;
  /** How to run the docker CLI (binary, DOCKER_HOST / DOCKER_CONTEXT / DOCKER_CONFIG). */
  docker?: DockerCliOptions | undefined;
  /** How many log lines to read per server and per container. Default 20. */
  tailLines?: number | undefined;
}

export interface ContainerReport {
  id: string;
  name: string;
  image: string;
  /** "running", "exited", ... */
  state: string;
  /** Set once the container has exited. */
  exitCode?: number | undefined;
  oomKilled?: boolean | undefined;
  /** State.Error, e.g. an exec failure. */
  error?: string | undefined;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
}

export interface ServerDoctorReport {
  name: string;
  /** The server's `enabled` in the config. */
  enabled: boolean;
  /** The configured command line, shell-quoted. */
  command: string;
  isolation: { enabled: boolean; reason?: IsolationDisabledReason | undefined; detail?: string | undefined };
  /** The image the container runs (isolated servers). */
  image?: string | undefined;
  /** Whether the image is in the local image store; undefined when unknown (engine down, not isolated). */
  imageExists?: boolean | undefined;
  /** The `docker run` line to paste by hand (no --name, cidfile or managed-by label), env values masked. */
  dockerCommand?: string | undefined;
  /** The same as an argv (masked, as in the `docker_run_args` log field). */
  dockerArgv?: string[] | undefined;
  /** Warnings from building the `docker run` (risky extra_args, mounts, ...). */
  warnings: string[];
  /** Why no `docker run` could be built from this server's config. */
  configError?: string | undefined;
  /** The server's latest container (running, else the most recent one). */
  container?: ContainerReport | undefined;
  /** The last error logged for the server (logServerError), e.g. { code: "STARTUP_TIMEOUT" }. */
  lastError?: { code?: string | undefined; message?: string | undefined } | undefined;
  /**
   * The last failure the proxy recorded in the server's log and did not recover from
   * (no `ready` after it): what the findings are about when no container is left.
   */
  recordedFailure?: Omit<RecordedFailure, "evidence"> | undefined;
  /** server-<name>.log, when logs were given. */
  logFile?: string | undefined;
  /** The last lines of the server's log, as `TIME LEVEL msg`. */
  lastLogLines: string[];
  /** The last stderr lines of the latest container (`docker logs`). */
  containerLogLines: string[];
  findings: Finding[];
  /** Suggestions that are not problems (e.g. "package downloaded on every start": turn on prepare); not counted as findings. */
  advice: Finding[];
}

export interface DoctorReport {
  /** ISO time of the check. */
  generatedAt: string;
  /** The engine as the proxy reaches it: over the Engine API where it answers, else through the docker CLI. */
  engine: EngineInfo;
  /**
   * Whether the docker CLI itself runs (`docker version`), asked while the engine answers: containers
   * start without it, but pulls, prepared-image builds and some extra_args run it.
   */
  dockerCli?: { available: boolean; error?: string | undefined } | undefined;
  /** Findings about the engine itself (unreachable, wrong context); also repeated for each isolated server. */
  engineFindings: Finding[];
  /** Set when the config file (configPath) can be read or written by other users. */
  configWarning?: ConfigPermissionWarning | undefined;
  logDir?: string | undefined;
  servers: ServerDoctorReport[];
  summary: {
    servers: number;
    isolated: number;
    /** Servers with at least one finding. */
    withFindings: number;
    findings: number;
    byCode: Partial<Record<FindingCode, number>>;
  };
}

const DEFAULT_TAIL = 20;

/** Runs the whole check. Throws ProxyError UNKNOWN_SERVER for a `server` not in the config. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { config } = options;
  const servers =
    options.server === undefined
      ? config.mcpServers
      : config.mcpServers.filter((s) => s.name === options.server);
  if (options.server !== undefined && servers.length === 0) {
    throw new ProxyError("UNKNOWN_SERVER", `no server named "${options.server}" in the config`);
  }
  const configWarning =
    options.configPath === undefined ? undefined : await checkConfigPermissions(options.configPath);
  // The engine the way the proxy reaches it, and the CLI beside it (both asked at once).
  const [engine, viaCli] = await Promise.all([
    getEngineInfo(options.docker),
    getEngineInfo(options.docker, { via: "cli" }),
  ]);
  const dockerCli = engine.reachable ? { available: viaCli.reachable, error: viaCli.error } : undefined;
  const engineFindings = engine.reachable ? [] : diagnose({ engine });
  const reports: ServerDoctorReport[] = [];
  for (const server of servers) reports.push(await checkServer(server, { engine, dockerCli }, options));

  const byCode: Partial<Record<FindingCode, number>> = {};
  for (const finding of reports.flatMap((r) => r.findings))
    byCode[finding.code] = (byCode[finding.code] ?? 0) + 1;
  return {
    generatedAt: new Date().toISOString(),
    engine,
    dockerCli,
    engineFindings,
    configWarning,
    logDir: options.logs?.logDir,
    servers: reports,
    summary: {
      servers: reports.length,
      isolated: reports.filter((r) => r.isolation.enabled).length,
      withFindings: reports.filter((r) => r.findings.length > 0).length,
      findings: reports.reduce((sum, r) => sum + r.findings.length, 0),
      byCode,
    },
  };
}

async function checkServer(
  server: ServerConfig,
  { engine, dockerCli }: Pick<DoctorReport, "engine" | "dockerCli">,
  options: DoctorOptions,
): Promise<ServerDoctorReport> {
  const tail = options.tailLines ?? DEFAULT_TAIL;
  const resolution = resolveIsolation(options.config, server);
  const report: ServerDoctorReport = {
    name: server.name,
    enabled: server.enabled,
    command: [server.command, ...server.args].map(shellQuote).join(" "),
    isolation: resolution.enabled
      ? { enabled: true }
      : { enabled: false, reason: resolution.reason, detail: resolution.detail },
    warnings: [],
    lastLogLines: [],
    containerLogLines: [],
    findings: [],
    advice: [],
  };
  let argv: string[] | undefined;
  /** What this server would run the docker CLI for (see DiagnosisEvidence.cliNeeds). */
  const cliNeeds: string[] = [];
  if (resolution.enabled) {
    try {
      const built = buildDockerRunArgs(server, resolution);
      argv = built.argv;
      for (const { arg } of renderCreateRequest(built.spec).needsCli) cliNeeds.push(`for extra_args ${arg}`);
      report.image = built.image;
      // Pasted next to the proxy: never clashes with its container, and its orphan sweep leaves it alone.
      const byHand = { argv: renderDockerRunArgv(built.spec, { byHand: true }), env: built.env };
      report.dockerCommand = formatDockerCommand(byHand, { maskSecrets: true });
      report.dockerArgv = dockerRunArgsForLog(byHand);
      report.warnings = built.warnings.map((w) => w.message);
    } catch (error) {
      report.configError = error instanceof Error ? error.message : String(error);
    }
    if (report.image !== undefined && engine.reachable) {
      report.imageExists = await imageExists(report.image, options.docker).catch(() => undefined);
    }
    if (resolvePrepare(options.config, server)) cliNeeds.push("to find or build its prepared image");
    else if (report.imageExists === false) cliNeeds.push(`to pull its image ${report.image ?? ""}`);
    if (engine.reachable) {
      report.container = await latestContainer(server.name, options.docker).catch(() => undefined);
    }
    if (report.container !== undefined) {
      const logs = await containerLogs(report.container.id, { tail, docker: options.docker }).catch(
        () => undefined,
      );
      report.containerLogLines = logs?.stderr ?? [];
    }
  }

  let sinceLastStart: string[] = [];
  let recorded: RecordedFailure | undefined;
  if (options.logs) {
    report.logFile = options.logs.serverLogPath(server.name);
    const raw = await options.logs.readServerLog(server.name, { tail: Math.max(tail, 1000) });
    report.lastLogLines = raw.slice(-tail).map(formatLogLine);
    sinceLastStart = linesSinceLastStart(raw);
    report.lastError = lastErrorFromLogLines(sinceLastStart);
    // A server turned off in the config is not failing: its old failures are history.
    recorded = server.enabled ? failureFromLogLines(sinceLastStart) : undefined;
    if (recorded !== undefined) {
      const { evidence: _evidence, ...summary } = recorded;
      report.recordedFailure = summary;
    }
  }

  const container = report.container;
  const exited = container !== undefined && container.state !== "running" && container.state !== "created";
  const evidence: DiagnosisEvidence = mergeEvidence(
    {
      serverName: server.name,
      command: server.command,
      args: server.args,
      argv,
      isolation: resolution,
      engine: resolution.enabled ? engine : undefined,
      image: report.image,
      imageExists: report.imageExists,
      dockerCli: resolution.enabled ? dockerCli : undefined,
      cliNeeds,
      exitCode: exited ? container.exitCode : undefined,
      inspect: exited
        ? {
            oomKilled: container.oomKilled,
            exitCode: container.exitCode,
            error: container.error,
            status: container.state,
          }
        : undefined,
      stderr: stderrFromLogLines(sinceLastStart),
    },
    { stderr: report.containerLogLines },
    // What the proxy logged: the error (code, phase, OOMKilled exit, image) even after --rm removed the container.
    recorded?.evidence ?? {},
  );
  report.findings = diagnose(evidence);
  const advice = prepareAdvice(options.config, server, resolution);
  if (advice !== undefined) report.advice.push(advice);
  return report;
}

/** The log lines from the last isolation decision (the last start) on; all lines when there is none. */
function linesSinceLastStart(lines: readonly string[]): string[] {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/"msg":"Docker isolation (?:enabled|disabled) for server: /.test(lines[i] as string))
      return lines.slice(i);
  }
  return [...lines];
}

async function latestContainer(
  name: string,
  docker: DockerCliOptions | undefined,
): Promise<ContainerReport | undefined> {
  const managed = await listManagedContainers({ docker, server: name });
  const infos: ContainerInfo[] = [];
  for (const container of managed) {
    const info = await inspectContainer(container.id, docker);
    if (info) infos.push(info);
  }
  const time = (info: ContainerInfo): number => (info.finishedAt ?? info.startedAt)?.getTime() ?? 0;
  const latest = infos.find((info) => info.running) ?? infos.sort((a, b) => time(b) - time(a))[0];
  if (!latest) return undefined;
  return {
    id: latest.id,
    name: latest.name,
    image: latest.image,
    state: latest.status,
    exitCode: latest.running ? undefined : latest.exitCode,
    oomKilled: latest.running ? undefined : latest.oomKilled,
    error: latest.error,
    startedAt: latest.startedAt?.toISOString(),
    finishedAt: latest.finishedAt?.toISOString(),
  };
}
