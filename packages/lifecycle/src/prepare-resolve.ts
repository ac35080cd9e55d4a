// Resolving npm packages on the HOST, with the user's own npm settings: the
// registry URL and its auth come from their npm config, and npm itself (not
// mcpproxy) talks to the registry, so proxies, CA files and tokens behave as on
// the command line. The result pins the build: exact version + integrity.
import { readFile } from "node:fs/promises";
import { PrepareError, type BuildTls, type PackageRef, type ResolvedPackage } from "@mcpproxy/prepare";
import { execa } from "execa";

/** The user's npm settings that a build needs, read with `npm config get`. */
export interface NpmHostSettings {
  /** Registry URL (npm's `registry`), e.g. "https://registry.npmjs.org/". */
  registry: string;
  /** .npmrc text for the build stage: the registry and only the auth lines for it. */
  npmrc: string;
  /** The host's extra CA certificates (NODE_EXTRA_CA_CERTS) and npm `cafile`, as PEM text. */
  tls: BuildTls;
  /** Where each of those came from, for logs and `--verbose` (never the secrets themselves). */
  sources: string[];
}

export interface NpmHostOptions {
  /** The npm CLI to run (default "npm"). */
  npm?: string | undefined;
  /** Environment for npm (default process.env). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  signal?: AbortSignal | undefined;
}

const AUTH_KEY = /^(?:_authToken|_auth|username|_password|certfile|keyfile|always-auth)$/;

function npmEnv(options: NpmHostOptions): Record<string, string | undefined> {
  return { ...(options.env ?? process.env), npm_config_update_notifier: "false" };
}

async function npmConfig(keys: string[], options: NpmHostOptions): Promise<string[]> {
  const result = await execa(options.npm ?? "npm", ["config", "get", ...keys], {
    env: npmEnv(options),
    extendEnv: false,
    reject: false,
    cancelSignal: options.signal,
  });
  if (result.failed) {
    throw new PrepareError(
      "RESOLVE_FAILED",
      `\`npm config get\` failed: ${String(result.stderr).trim() || result.shortMessage}`,
      {
        fix: "check that npm is installed on this machine and its config files are valid",
      },
    );
  }
  // One key prints the bare value; several print `key=value` lines.
  const lines = String(result.stdout)
    .split("\n")
    .map((line) => line.trim());
  if (keys.length === 1) return [lines[0] ?? ""];
  return keys.map((key) => {
    const line = lines.find((l) => l.startsWith(`${key}=`));
    const value = line?.slice(key.length + 1) ?? "";
    return value === "null" || value === "undefined" ? "" : value;
  });
}

/** `${NAME}` in .npmrc values is expanded from the environment, as npm does. */
function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replaceAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => env[name] ?? "");
}

/** The auth lines of a user .npmrc that belong to `registry` (`//host/path/:_authToken=…`). */
export function registryAuthLines(
  npmrc: string,
  registry: string,
  env: Readonly<Record<string, string | undefined>> = {},
): string[] {
  const url = new URL(registry);
  const nerfed = `//${url.host}${url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`}`;
  const lines: string[] = [];
  for (const raw of npmrc.split(/\r?\n/)) {
    const line = raw.trim();
    const eq = line.indexOf("=");
    if (eq < 0 || !line.startsWith("//")) continue;
    const key = line.slice(0, eq).trim();
    const colon = key.lastIndexOf(":");
    const scope = key.slice(0, colon);
    if (!AUTH_KEY.test(key.slice(colon + 1))) continue;
    if (nerfed.startsWith(scope.endsWith("/") ? scope : `${scope}/`))
      lines.push(`${key}=${expandEnv(line.slice(eq + 1).trim(), env)}`);
  }
  return lines;
}

async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new PrepareError("RESOLVE_FAILED", `cannot read ${what} ${file}: ${(cause as Error).message}`, {
      cause,
      fix: `fix or unset ${what}`,
    });
  }
}

/** Reads the registry URL, its auth and the CA certificates from the host's npm config and environment. */
export async function readNpmHostSettings(options: NpmHostOptions = {}): Promise<NpmHostSettings> {
  const env = options.env ?? process.env;
  const [registry = "", cafile = "", userconfig = ""] = await npmConfig(
    ["registry", "cafile", "userconfig"],
    options,
  );
  const registryUrl = registry === "" ? "https://registry.npmjs.org/" : registry;
  const sources = [`registry ${registryUrl} (npm config)`];
  let auth: string[] = [];
  if (userconfig !== "") {
    const text = await readFile(userconfig, "utf8").catch(() => "");
    auth = registryAuthLines(text, registryUrl, env);
    if (auth.length > 0) sources.push(`registry auth from ${userconfig}`);
  }
  const tls: BuildTls = {};
  const extra = env["NODE_EXTRA_CA_CERTS"];
  if (extra !== undefined && extra !== "") {
    tls.extraCaCerts = await readPem(extra, "NODE_EXTRA_CA_CERTS");
    sources.push(`extra CA certificates from NODE_EXTRA_CA_CERTS=${extra}`);
  }
  if (cafile !== "") {
    tls.caBundle = await readPem(cafile, "npm cafile");
    sources.push(`CA bundle from npm cafile=${cafile}`);
  }
  const npmrc = [`registry=${registryUrl}`, ...auth, ""].join("\n");
  return { registry: registryUrl, npmrc, tls, sources };
}

interface ViewEntry {
  name?: unknown;
  version?: unknown;
  "dist.integrity"?: unknown;
  bin?: unknown;
}

function installerLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => /^npm (?:error|ERR!)/.test(line));
}

function binMap(name: string, bin: unknown): Record<string, string> {
  if (typeof bin === "string") return { [name.slice(name.indexOf("/") + 1)]: bin };
  if (typeof bin !== "object" || bin === null) return {};
  return Object.fromEntries(
    Object.entries(bin).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/**
 * `npm view <name>@<range> name version dist.integrity bin --json` on the host:
 * the highest version matching the range, with its integrity and commands.
 */
export async function resolveNpmPackage(
  ref: PackageRef,
  options: NpmHostOptions = {},
): Promise<ResolvedPackage> {
  const spec = `${ref.name}@${ref.range ?? "latest"}`;
  const result = await execa(
    options.npm ?? "npm",
    ["view", spec, "name", "version", "dist.integrity", "bin", "--json"],
    {
      env: npmEnv(options),
      extendEnv: false,
      reject: false,
      cancelSignal: options.signal,
    },
  );
  const stderr = String(result.stderr);
  if (result.isCanceled)
    throw new PrepareError("BUILD_CANCELED", `resolving ${spec} was canceled`, { package: spec });
  if (result.failed) {
    const lines = installerLines(stderr);
    const notFound = lines.some((line) => /E404|404 Not Found|is not in this registry/.test(line));
    throw new PrepareError(
      notFound ? "PACKAGE_NOT_FOUND" : "RESOLVE_FAILED",
      `npm cannot resolve ${spec}${lines.length > 0 ? `:\n${lines.join("\n")}` : `: ${stderr.trim() || result.shortMessage}`}`,
      {
        package: spec,
        installerLines: lines,
        fix: notFound
          ? `check the package name and version in the server's args (\`npm view ${ref.name} versions\` lists the published ones)`
          : "check the registry, its auth and your network/proxy settings (`npm ping`)",
      },
    );
  }
  const parsed = JSON.parse(String(result.stdout) || "null") as ViewEntry | ViewEntry[] | null;
  const entries = Array.isArray(parsed) ? parsed : parsed === null ? [] : [parsed];
  // For a range npm lists every matching version in ascending order: the last is what npx would install.
  const entry = entries.at(-1);
  if (entry === undefined || typeof entry.version !== "string") {
    throw new PrepareError(
      "PACKAGE_NOT_FOUND",
      `no published version of ${ref.name} matches ${ref.range ?? "latest"}`,
      {
        package: spec,
        fix: `\`npm view ${ref.name} versions\` lists the published versions`,
      },
    );
  }
  const name = typeof entry.name === "string" ? entry.name : ref.name;
  const integrity = typeof entry["dist.integrity"] === "string" ? entry["dist.integrity"] : "";
  return { name, version: entry.version, integrity, bin: binMap(name, entry.bin) };
}
