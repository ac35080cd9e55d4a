// The evidence of a failure, pre-digested for the classifier's rules, and the
// helpers rules use to quote evidence and build config snippets.
import { commandBaseName } from "@mcpproxy/config";
import { bindMounts, optionValues, parseDockerRun, parseVolumeSpec, type BindMount } from "./docker-argv.ts";
import type { ConfigSnippet, DiagnosisEvidence } from "./findings.ts";

/** The evidence, pre-digested for the rules. */
export interface RuleContext {
  evidence: DiagnosisEvidence;
  /** The server's name, or SERVER_NAME in snippets when unknown. */
  name: string;
  /** stderr, the error message and State.Error, one entry per line, without blank lines. */
  lines: string[];
  /** true: ran in a container; false: isolation off; undefined: unknown. */
  isolated: boolean | undefined;
  networkMode: string | undefined;
  memoryLimit: string | undefined;
  image: string | undefined;
  /** Bind mounts from the effective volumes and the argv. */
  mounts: BindMount[];
  /** The server's configured volumes (to extend in snippets). */
  configuredVolumes: string[];
  user: string | undefined;
  readOnlyRoot: boolean;
  /** The program inside the container (or the server command): `npx`, `uvx`, `docker`, ... */
  program: string | undefined;
  exitCode: number | null | undefined;
  timeoutMs: number | undefined;
}

export function buildContext(evidence: DiagnosisEvidence): RuleContext {
  const isolation = evidence.isolation;
  const parsed = evidence.argv ? parseDockerRun(evidence.argv) : undefined;
  const effective = isolation?.enabled ? isolation : undefined;
  const isolated = effective ? true : parsed?.image !== undefined ? true : isolation ? false : undefined;
  const options = parsed?.options ?? [];
  const configuredVolumes = effective?.volumes ?? [];
  const mounts = [
    ...configuredVolumes.map(parseVolumeSpec).filter((m): m is BindMount => m !== undefined),
    ...bindMounts(options),
  ];
  const lines: string[] = [];
  for (const text of [...(evidence.stderr ?? []), evidence.errorMessage, evidence.inspect?.error]) {
    for (const line of (text ?? "").split(/\r?\n/)) if (line.trim() !== "") lines.push(line.trimEnd());
  }
  const innerProgram = parsed?.command[0];
  return {
    evidence,
    name: evidence.serverName ?? "SERVER_NAME",
    lines,
    isolated,
    networkMode: effective?.network_mode ?? last(optionValues(options, ["--network", "--net"])),
    memoryLimit: last(optionValues(options, ["-m", "--memory"])) ?? effective?.memory_limit,
    image: parsed?.image ?? evidence.image ?? effective?.image,
    mounts,
    configuredVolumes,
    user: last(optionValues(options, ["-u", "--user"])) ?? effective?.user,
    readOnlyRoot: options.includes("--read-only") || effective?.read_only === true,
    program:
      innerProgram !== undefined
        ? commandBaseName(innerProgram)
        : evidence.command !== undefined
          ? commandBaseName(evidence.command)
          : undefined,
    exitCode: evidence.inspect?.exitCode ?? evidence.exitCode,
    timeoutMs: isolation?.timeout_ms,
  };
}

function last<T>(values: readonly T[]): T | undefined {
  return values[values.length - 1];
}

/** The lines matching a pattern, at most `max`. */
export function matching(ctx: RuleContext, pattern: RegExp, max = 3): string[] {
  return ctx.lines.filter((line) => pattern.test(line)).slice(0, max);
}

/** `{ "mcpServers": [{ "name": NAME, ...fields }] }` */
export function serverSnippet(ctx: RuleContext, fields: Record<string, unknown>): ConfigSnippet {
  return { mcpServers: [{ name: ctx.name, ...fields }] };
}

/** `{ "mcpServers": [{ "name": NAME, "isolation": { ...isolation } }] }` */
export function isolationSnippet(ctx: RuleContext, isolation: Record<string, unknown>): ConfigSnippet {
  return serverSnippet(ctx, { isolation });
}

/** Pretty JSON of a snippet, for fix texts. */
export function snippetJson(snippet: ConfigSnippet): string {
  return JSON.stringify(snippet, null, 2);
}
