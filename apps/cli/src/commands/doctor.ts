// `mcpproxy doctor [SERVER]`: the diagnostics package's report, readable. It
// automates the spec's debugging workflow: engine and context, isolation status
// and why, image present, the exact `docker run`, container state, last log
// lines, and each finding with the config snippet that fixes it. Exit 1 when
// anything was found.
import { type Command, InvalidArgumentError } from "commander";
import { createLogManager, resolveLogDir, type Finding } from "@mcpproxy/diagnostics";
import { runDoctor, type DoctorReport, type ServerDoctorReport } from "@mcpproxy/server";
import { findServer, loadConfigOrThrow } from "../config-file.ts";
import { EXIT } from "../errors.ts";
import { printJson, println, type CliContext } from "../io.ts";
import { examples, globalOptions } from "../command-helpers.ts";

interface DoctorOptions {
  json?: boolean;
  lines: number;
}

function lineCount(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return parsed;
}

export function registerDoctorCommand(program: Command, ctx: CliContext): void {
  program
    .command("doctor")
    .description(
      "Diagnose servers and Docker isolation: engine, isolation and why, image, docker run, container, logs, fixes (exit 1 when a problem is found)",
    )
    .argument("[server]", "only this server")
    .option("--lines <n>", "last log lines per server", lineCount, 10)
    .option("--json", "print the full report as JSON")
    .addHelpText("after", examples("mcpproxy doctor", "mcpproxy doctor github --json"))
    .action(async (name: string | undefined, options: DoctorOptions, command: Command) => {
      const loaded = await loadConfigOrThrow(ctx, globalOptions(command).config);
      if (name !== undefined) findServer(loaded, name);
      // Read-only use of the proxy's logs: nothing is logged, the manager only reads server-<name>.log.
      const logs = createLogManager({ logDir: resolveLogDir(loaded.config), level: "error", console: false });
      let report: DoctorReport;
      try {
        report = await runDoctor({
          config: loaded.config,
          configPath: loaded.path,
          server: name,
          logs,
          tailLines: options.lines,
        });
      } finally {
        await logs.close();
      }
      if (report.summary.findings > 0) ctx.exitCode = EXIT.failure;
      if (options.json) {
        printJson(ctx, { configPath: loaded.path, ...report });
        return;
      }
      printReport(ctx, loaded.path, report);
    });
}

function printReport(ctx: CliContext, configPath: string, report: DoctorReport): void {
  const { out } = ctx;
  const say = (line = ""): void => println(ctx.stdout, line);
  const { engine } = report;
  const where = [
    engine.context === undefined ? undefined : `context ${engine.context}`,
    engine.endpoint,
    engine.serverVersion === undefined ? undefined : `engine ${engine.serverVersion}`,
  ].filter((part): part is string => part !== undefined);
  const reach = engine.reachable ? out.green("reachable") : out.red("unreachable");
  say(`${out.bold("Docker")}   ${reach}${where.length > 0 ? ` (${where.join(", ")})` : ""}`);
  if (!engine.reachable && engine.error !== undefined) say(`         ${engine.error}`);
  if (report.dockerCli?.available === false) {
    say(`         ${out.yellow("docker CLI unavailable:")} ${report.dockerCli.error ?? "it did not answer"}`);
    say("         containers start through the Engine API without it; pulls and prepared images need it");
  }
  say(`${out.bold("Config")}   ${configPath}`);
  if (report.configWarning !== undefined) {
    say(`         ${out.yellow("warning:")} ${report.configWarning.title}`);
    say(`         fix: ${report.configWarning.fix}`);
  }
  if (report.logDir !== undefined) say(`${out.bold("Logs")}     ${report.logDir}`);
  if (report.summary.isolated === 0) {
    for (const finding of report.engineFindings) printFinding(ctx, finding, "");
  }
  if (report.servers.length === 0) {
    say();
    say("No servers configured: add them under `mcpServers` in the config.");
    return;
  }
  for (const server of report.servers) {
    say();
    printServer(ctx, server);
  }
  say();
  const { summary } = report;
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;
  say(
    summary.findings === 0
      ? out.green(`No problems found in ${plural(summary.servers, "server")}.`)
      : out.red(
          `${plural(summary.findings, "problem")} found in ${summary.withFindings} of ${plural(summary.servers, "server")}.`,
        ),
  );
}

function printServer(ctx: CliContext, server: ServerDoctorReport): void {
  const { out } = ctx;
  const say = (line = ""): void => println(ctx.stdout, line);
  const field = (label: string, value: string): void => say(`    ${label.padEnd(10)} ${value}`);
  const mark = server.findings.length > 0 ? out.red("✗") : out.green("✓");
  say(`${mark} ${out.bold(server.name)}${server.enabled ? "" : out.dim(" (disabled in the config)")}`);
  field("command", server.command);
  field(
    "isolation",
    server.isolation.enabled
      ? out.green("on")
      : `${out.yellow("off")}${server.isolation.detail === undefined ? "" : `: ${server.isolation.detail}`}`,
  );
  if (server.image !== undefined) {
    const present =
      server.imageExists === undefined
        ? ""
        : server.imageExists
          ? ` ${out.green("(present)")}`
          : ` ${out.yellow("(not pulled: `mcpproxy images pull`)")}`;
    field("image", `${server.image}${present}`);
  }
  if (server.dockerCommand !== undefined) field("docker run", server.dockerCommand);
  if (server.configError !== undefined) field("config", out.red(server.configError));
  for (const warning of server.warnings) field("warning", out.yellow(warning));
  if (server.container !== undefined) {
    const { container } = server;
    const details = [
      container.exitCode === undefined ? undefined : `exit code ${container.exitCode}`,
      container.oomKilled === true ? "OOMKilled" : undefined,
      container.error === undefined || container.error === "" ? undefined : container.error,
    ].filter((part): part is string => part !== undefined);
    const state = container.state === "running" ? out.green(container.state) : out.yellow(container.state);
    field("container", `${container.name} ${state}${details.length > 0 ? ` (${details.join(", ")})` : ""}`);
  } else if (server.isolation.enabled) {
    field("container", out.dim("none"));
  }
  if (server.lastError?.message !== undefined) {
    field(
      "last error",
      `${server.lastError.message}${server.lastError.code ? ` [${server.lastError.code}]` : ""}`,
    );
  }
  const recorded = server.recordedFailure;
  if (recorded !== undefined) field("recorded", recordedSentence(recorded));
  if (server.lastLogLines.length > 0) {
    say(`    last log lines${server.logFile === undefined ? "" : ` (${server.logFile})`}:`);
    for (const line of server.lastLogLines) say(`      ${out.dim(line)}`);
  } else if (server.containerLogLines.length > 0) {
    say("    last container stderr lines:");
    for (const line of server.containerLogLines) say(`      ${out.dim(line)}`);
  }
  for (const finding of server.findings) printFinding(ctx, finding, "    ");
  for (const advice of server.advice) printFinding(ctx, advice, "    ", "advice");
}

/** `failed at 02:01:05 in the initialize phase, 3 times since the last start; state then: restarting`. */
function recordedSentence(recorded: NonNullable<ServerDoctorReport["recordedFailure"]>): string {
  const parts = [
    `failed${recorded.at === undefined ? "" : ` at ${recorded.at}`}`,
    recorded.phase === undefined ? undefined : `in the ${recorded.phase} phase`,
    recorded.failures > 1 ? `${recorded.failures} times since the last start` : undefined,
  ].filter((part): part is string => part !== undefined);
  const state = recorded.state === undefined ? "" : `; last logged state: ${recorded.state}`;
  return `${parts.join(" ")}${state} (from the proxy's log; findings below)`;
}

function printFinding(ctx: CliContext, finding: Finding, indent: string, kind = "problem"): void {
  const { out } = ctx;
  const say = (line: string): void => println(ctx.stdout, `${indent}${line}`);
  const label = kind === "problem" ? out.red("problem:") : out.yellow(`${kind}:`);
  say(`${label} ${finding.title} ${out.dim(`[${finding.code}]`)}`);
  // The same line may be evidence several times (one per restart): print it once, with a count.
  const counts = new Map<string, number>();
  for (const evidence of finding.evidence) counts.set(evidence, (counts.get(evidence) ?? 0) + 1);
  for (const [evidence, count] of counts) {
    say(`  ${out.dim("evidence:")} ${evidence}${count > 1 ? out.dim(` (×${count})`) : ""}`);
  }
  say(`  ${out.yellow("fix:")} ${finding.fix}`);
  if (finding.configSnippet !== undefined) {
    say(`  ${out.dim("config to merge into the config file:")}`);
    for (const line of JSON.stringify(finding.configSnippet, null, 2).split("\n")) say(`    ${line}`);
  }
}
