// Rules for failures of the server inside its container: package installs at
// start, blocked network, file access, memory and startup time.
import path from "node:path";
import type { Finding } from "./findings.ts";
import { isolationSnippet, matching, type RuleContext } from "./rule-context.ts";
import { doubledMemory, formatDuration } from "./units.ts";

const INSTALLERS = new Set([
  "npx",
  "npm",
  "pnpm",
  "pnpx",
  "yarn",
  "bunx",
  "uvx",
  "uv",
  "pip",
  "pip3",
  "pipx",
]);

/** An installer's download failing (npm, pip, uv). */
const INSTALL_FAILED =
  /^npm (?:error|ERR!)|Could not find a version that satisfies the requirement|No matching distribution found|Retrying \(Retry\(.*NewConnectionError|Failed to fetch: `https?:|Could not connect, are you offline|error sending request for url/i;
/** Errors that mean "no network" rather than "no such package". */
const NETWORK_CLASS =
  /\b(EAI_AGAIN|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT)\b|NewConnectionError|Temporary failure in name resolution|are you offline|dns error|failed to lookup address information/i;
/** DNS and connect failures as programs print them. */
const NETWORK_ERROR =
  /\b(EAI_AGAIN|ENOTFOUND|ENETUNREACH|EHOSTUNREACH)\b|getaddrinfo|Temporary failure in name resolution|Name or service not known|Name does not resolve|bad address '|Could not resolve host|Network is unreachable|failed to lookup address information|nodename nor servname|No address associated with hostname/i;
/** The engine's own errors (a pull, a daemon) are not the server's network. */
const ENGINE_LINE = /Error response from daemon|^docker: /;

export function packageInstallRule(ctx: RuleContext): Finding | undefined {
  if (ctx.isolated === false) return undefined;
  const lines = matching(ctx, INSTALL_FAILED, 4);
  if (lines.length === 0) return undefined;
  const noNetwork = ctx.networkMode === "none";
  const networkClass = ctx.lines.some((line) => NETWORK_CLASS.test(line));
  if (!noNetwork && !networkClass) return undefined;
  const installer = ctx.program !== undefined && INSTALLERS.has(ctx.program) ? ctx.program : "the installer";
  const evidence = [...lines];
  if (noNetwork) evidence.push("network_mode: none");
  const preinstall =
    `Or keep the network closed: turn on prepare ("isolation": { "prepare": true }), which installs the ` +
    `package once into a local image pinned to one version, so starts need no registry.`;
  if (noNetwork) {
    return {
      code: "package-install-needs-network",
      title: `${installer} downloads the server at start, but the container has no network`,
      evidence,
      fix:
        `${installer} fetches the package from its registry on every start, and \`network_mode: none\` blocks ` +
        `that. Give this server a network: set \`isolation.network_mode\` to "bridge". ${preinstall}`,
      configSnippet: isolationSnippet(ctx, { network_mode: "bridge" }),
    };
  }
  return {
    code: "package-install-needs-network",
    title: `${installer} could not reach its package registry from the container`,
    evidence,
    fix:
      `${installer} fetches the package on every start and the container (network_mode ` +
      `${ctx.networkMode ?? "bridge"}) could not reach the registry: check that the host is online and whether ` +
      `a proxy is needed (pass HTTPS_PROXY in the server's env). ${preinstall}`,
  };
}

export function networkBlockedRule(ctx: RuleContext): Finding | undefined {
  if (ctx.isolated !== true || ctx.networkMode !== "none") return undefined;
  const lines = ctx.lines.filter((line) => NETWORK_ERROR.test(line) && !ENGINE_LINE.test(line)).slice(0, 3);
  if (lines.length === 0) return undefined;
  return {
    code: "network-blocked",
    title: "The server needs the network, but its container has network_mode: none",
    evidence: [...lines, "network_mode: none"],
    fix:
      'With `network_mode: "none"` the container has no network at all, so name lookups and connections fail. ' +
      'If this server must call out, set its `isolation.network_mode` to "bridge" (the default: outbound access). ' +
      "Keep none for servers that work offline.",
    configSnippet: isolationSnippet(ctx, { network_mode: "bridge" }),
  };
}

/** Lines that say a file is missing, denied or read-only. */
const FILE_ERROR =
  /\b(ENOENT|EACCES|EPERM|EROFS)\b|No such file or directory|Permission denied|Read-only file system|can't open '/i;
/** The program itself missing is command-not-in-image, not file access. */
const EXEC_LINE = /executable file not found|OCI runtime|^exec \/|exec format error/i;
const SYSTEM_PATH = /^\/(proc|sys|dev|usr|lib|lib32|lib64|bin|sbin|etc|run|var\/lib|node:)(\/|$)/;
const WRITE_HINT = /\b(mkdir|write|open.*'w|unlink|rename|EROFS|creat|Read-only)/i;

type FileProblem = "missing" | "denied" | "read-only";

export function fileAccessRule(ctx: RuleContext): Finding | undefined {
  if (ctx.isolated !== true) return undefined;
  let hit: { line: string; file: string; problem: FileProblem } | undefined;
  for (const line of ctx.lines) {
    if (!FILE_ERROR.test(line) || EXEC_LINE.test(line)) continue;
    const file = pathIn(line);
    if (file === undefined) continue;
    hit = { line, file, problem: problemOf(line) };
    break;
  }
  if (!hit) return undefined;
  const { line, file, problem } = hit;
  const directory = looksLikeDirectory(line, file) ? file : path.posix.dirname(file);
  const mount = ctx.mounts.find(
    (m) => file === m.container || file.startsWith(`${m.container.replace(/\/$/, "")}/`),
  );
  const evidence = [line];
  if (mount)
    evidence.push(
      `${mount.container} is mounted from the host path ${mount.host}${mount.readOnly ? " (ro)" : ""}`,
    );
  else evidence.push(`${file} is not under any volume mounted into the container`);

  if (!mount) {
    const mode = problem === "read-only" || WRITE_HINT.test(line) ? "rw" : "ro";
    const volume = `${directory}:${directory}:${mode}`;
    return {
      code: "file-access",
      title: `The server cannot access ${file}: it is a host path, not inside the container`,
      evidence,
      fix:
        `An isolated server sees only the container's filesystem. Mount the host directory ${directory} at the ` +
        `same path: add "${volume}" to this server's \`isolation.volumes\`` +
        (mode === "ro" ? " (use :rw if the server writes there)" : "") +
        ". If the server needs broad access to your files, disable isolation for it instead " +
        "(`isolation.enabled: false`).",
      configSnippet: isolationSnippet(ctx, { volumes: [...ctx.configuredVolumes, volume] }),
    };
  }
  const hostPath = path.posix.join(mount.host, path.posix.relative(mount.container, file));
  if (problem === "read-only" && mount.readOnly) {
    const spec = `${mount.host}:${mount.container}:rw`;
    const volumes = ctx.configuredVolumes.map((v) =>
      v.startsWith(`${mount.host}:${mount.container}`) ? spec : v,
    );
    return {
      code: "file-access",
      title: `The server writes to ${file}, but ${mount.container} is mounted read-only`,
      evidence,
      fix: `Mount ${mount.host} read-write: change its entry in \`isolation.volumes\` to "${spec}".`,
      configSnippet: isolationSnippet(ctx, {
        volumes: volumes.includes(spec) ? volumes : [...volumes, spec],
      }),
    };
  }
  if (problem === "missing") {
    return {
      code: "file-access",
      title: `${file} does not exist in the mounted host directory`,
      evidence,
      fix: `The container sees ${mount.host} at ${mount.container}, but ${hostPath} does not exist on the host: create it, or correct the path in the server's args.`,
    };
  }
  const user = ctx.user ?? "root (or the image's user)";
  return {
    code: "file-access",
    title: `Permission denied on ${file} (host path ${hostPath})`,
    evidence: [...evidence, `container user: ${user}`],
    fix:
      `The container runs as ${user}, which may not ${problem === "read-only" ? "write" : "read"} ${hostPath} on the host. ` +
      `Check the owner with \`ls -ln ${hostPath}\`; then either give that user access ` +
      `(\`chmod -R a+rX ${mount.host}\` for reading) or set \`isolation.user\` to the owner's uid:gid.`,
  };
}

function problemOf(line: string): FileProblem {
  if (/EROFS|Read-only file system/i.test(line)) return "read-only";
  if (/EACCES|EPERM|Permission denied/i.test(line)) return "denied";
  return "missing";
}

/** The first absolute, non-system path in a line (quoted first, then bare). */
function pathIn(line: string): string | undefined {
  const candidates = [
    ...[...line.matchAll(/['"`](\/[^'"`]+)['"`]/g)].map((m) => m[1]),
    ...[...line.matchAll(/(?:^|[\s=(:])(\/[\w.@%+~-][^\s'"`,):]*)/g)].map((m) => m[1]),
  ];
  return candidates.find((p): p is string => p !== undefined && !SYSTEM_PATH.test(p));
}

function looksLikeDirectory(line: string, file: string): boolean {
  return /\b(scandir|opendir|mkdir|chdir|Is a directory|EISDIR)\b/i.test(line) || file.endsWith("/");
}

export function oomKilledRule(ctx: RuleContext): Finding | undefined {
  const inspect = ctx.evidence.inspect;
  const oom = inspect?.oomKilled === true;
  const exit137 = ctx.exitCode === 137 && inspect?.oomKilled !== false;
  const memoryLines = matching(
    ctx,
    /out of memory|JavaScript heap|MemoryError|Cannot allocate memory|\bKilled\b/i,
    2,
  );
  if (!oom && !exit137) return undefined;
  const evidence: string[] = [];
  if (oom) evidence.push("docker inspect: State.OOMKilled = true");
  if (ctx.exitCode === 137) evidence.push("exit code 137 (SIGKILL)");
  evidence.push(...memoryLines);
  if (ctx.memoryLimit) evidence.push(`memory limit: ${ctx.memoryLimit}`);
  const suggested = doubledMemory(ctx.memoryLimit);
  return {
    code: "oom-killed",
    title: oom
      ? `Out of memory: the container was OOMKilled at its ${ctx.memoryLimit ?? "memory"} limit`
      : "Killed with exit code 137, most likely out of memory",
    evidence,
    fix:
      `The kernel killed the server for using more memory than its container may. Raise this server's ` +
      `\`isolation.memory_limit\` (now ${ctx.memoryLimit ?? "the global default"}) to ${suggested}` +
      (oom ? "" : "; `docker inspect` State.OOMKilled confirms an out-of-memory kill") +
      ". For a Node server, also check whether it leaks or keeps large data in memory.",
    configSnippet: isolationSnippet(ctx, { memory_limit: suggested }),
  };
}

const TIMEOUT_TEXT =
  /context deadline exceeded|startup timeout|timed out waiting for|did not (?:start|initialize) within/i;
const TIMEOUT_CODES = /^(STARTUP_TIMEOUT|INITIALIZE_TIMEOUT|TIMEOUT)$/;

export function startupTimeoutRule(ctx: RuleContext): Finding | undefined {
  const byCode = ctx.evidence.errorCode !== undefined && TIMEOUT_CODES.test(ctx.evidence.errorCode);
  const lines = matching(ctx, TIMEOUT_TEXT, 2);
  if (!byCode && lines.length === 0) return undefined;
  const current = ctx.timeoutMs;
  const suggestedMs = Math.max((current ?? 30_000) * 2, 60_000);
  const evidence = [...lines];
  if (byCode) evidence.push(`error code: ${ctx.evidence.errorCode}`);
  if (ctx.evidence.phase !== undefined) evidence.push(`timed out in the ${ctx.evidence.phase} phase`);
  if (current !== undefined) evidence.push(`startup timeout: ${formatDuration(current)}`);
  const lastStderr = ctx.evidence.stderr?.at(-1);
  if (lastStderr !== undefined && !evidence.includes(lastStderr))
    evidence.push(`last stderr line: ${lastStderr}`);
  const slowStart =
    ctx.program !== undefined && INSTALLERS.has(ctx.program)
      ? ` ${ctx.program} downloads the package on a cold start, which is often the slow part.`
      : "";
  return {
    code: "startup-timeout",
    title: `The server did not finish starting within ${current !== undefined ? formatDuration(current) : "the startup timeout"}`,
    evidence,
    fix:
      `Raise \`docker_isolation.timeout\` to ${formatDuration(suggestedMs)} (it applies to every server).` +
      slowStart +
      (ctx.image
        ? ` Pull the image beforehand (\`docker pull ${ctx.image}\`) so the pull does not count.`
        : "") +
      " If it still times out, run the `docker run` line by hand and watch where it stops.",
    configSnippet: { docker_isolation: { timeout: formatDuration(suggestedMs) } },
  };
}
