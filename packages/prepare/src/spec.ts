// What a package-runner command asks for, independent of the runner's syntax.

/** The package runners the parser knows. */
export type RunnerName =
  "npx" | "npm exec" | "pnpm dlx" | "yarn dlx" | "bunx" | "uvx" | "uv tool run" | "pipx run" | "pip install";

/** Which registry and installer family a runner draws from. */
export type Ecosystem = "npm" | "python";

/** One package as written: `@scope/name@^1.2`, `mcp-server-fetch==1.0`. */
export interface PackageRef {
  name: string;
  /** The version range/specifier as written (npm range, or a PEP 440 specifier like "==1.0"); undefined = latest. */
  range: string | undefined;
  /** The text as written in the command. */
  raw: string;
  /** Python extras as written, e.g. "[cli]". */
  extras?: string | undefined;
}

export interface PackageSpec {
  ecosystem: Ecosystem;
  runner: RunnerName;
  /** The first package named; with several (`npx -p a -p b cmd`) the one that provides `bin` is found at resolution. */
  package: PackageRef;
  /** Further packages installed alongside (`npx -p a -p b`, `uvx --with x`), in the order written. */
  extra: PackageRef[];
  /** The command to run when it was named explicitly (`npx -p pkg cmd`, `uvx --from pkg cmd`); else inferred from the package. */
  bin: string | undefined;
  /** Arguments for the server itself. */
  args: string[];
  /** A Python version asked for (`uvx --python 3.12`), recorded so a different request means a different image. */
  python?: string | undefined;
}

/** Why a command is not prepared (it then runs as configured). */
export type UnsupportedCode =
  /** The command is not a package runner at all (e.g. `node server.js`). */
  | "NOT_A_RUNNER"
  /** The runner is known but this form of it is not (e.g. `npx -c "…"`, `uv run`). */
  | "UNSUPPORTED_FORM"
  /** A local path, git URL or tarball instead of a registry package. */
  | "NOT_A_REGISTRY_PACKAGE"
  /** No package named (e.g. `npx -y` alone). */
  | "MISSING_PACKAGE";

export interface Unsupported {
  code: UnsupportedCode;
  /** One sentence for logs and the doctor: what was seen and that the server runs as configured. */
  message: string;
}

export type ParseResult = { ok: true; spec: PackageSpec } | { ok: false; reason: Unsupported };

/** A ParseResult saying why not; every reason ends by saying the server runs as configured. */
export function unsupported(code: UnsupportedCode, message: string): ParseResult {
  return { ok: false, reason: { code, message: `${message}; the server runs as configured` } };
}
