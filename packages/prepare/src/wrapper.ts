// Without prepare, a `uvx`/`uv`/`pipx` server under a runtime image that lacks
// the launcher (the default python:3.11 has neither) still has to start: the
// container command becomes a small POSIX sh script that installs the launcher
// when it is missing, then execs the original command. The server's arguments
// are passed as positional parameters ("$@"), never pasted into the script, so
// no argument can change what the shell runs.
import { commandBaseName } from "@mcpproxy/config";
import { shellJoin } from "./shell.ts";

/** Launchers the wrapper can install at start, and the pip package that provides each. */
export const LAUNCHER_PACKAGES = { uvx: "uv", uv: "uv", pipx: "pipx" } as const;

export type WrappedLauncher = keyof typeof LAUNCHER_PACKAGES;

export interface LauncherWrapper {
  command: "sh";
  args: string[];
  /** The launcher the script installs when missing. */
  launcher: WrappedLauncher;
  /** Why this start needs network access, for the doctor and logs. */
  explanation: string;
}

/** The launcher a command needs installed, or undefined when it needs none. */
export function launcherOf(command: string): WrappedLauncher | undefined {
  const base = commandBaseName(command);
  return base === "uvx" || base === "uv" || base === "pipx" ? base : undefined;
}

/** Doctor-facing: why a `uvx`/`pipx` server without prepare needs the network at every start. */
export function launcherInstallExplanation(launcher: WrappedLauncher, image: string): string {
  const pkg = LAUNCHER_PACKAGES[launcher];
  return (
    `${image} has no ${launcher}, so each start first runs \`pip install ${pkg}\` inside the fresh container and then ` +
    `${launcher} downloads the server's package: both need the package index, so this server cannot use network_mode "none" ` +
    `and every start downloads again. Turn on prepare ("isolation": { "prepare": true }) to install both once into a local image.`
  );
}

/**
 * `uvx mcp-server-fetch --x` → `sh -c 'command -v uvx … || pip install uv …; exec "$0" "$@"' uvx mcp-server-fetch --x`.
 * Returns undefined for commands that need no launcher. pip's output goes to
 * stderr: stdout is the MCP channel.
 */
export function launcherWrapper(
  command: string,
  args: readonly string[],
  image: string,
): LauncherWrapper | undefined {
  const launcher = launcherOf(command);
  if (launcher === undefined) return undefined;
  const pkg = LAUNCHER_PACKAGES[launcher];
  const script =
    `command -v "$0" >/dev/null 2>&1 || ` +
    `{ echo "mcpproxy: installing ${pkg} (${launcher} is not in this image)" >&2; ` +
    `python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore ${pkg} >&2 || ` +
    `pip install --quiet ${pkg} >&2 || exit 127; }; ` +
    `exec "$0" "$@"`;
  return {
    command: "sh",
    // $0 is the bare launcher name: a host path such as ~/.local/bin/uvx means nothing in the container.
    args: ["-c", script, commandBaseName(command), ...args],
    launcher,
    explanation: launcherInstallExplanation(launcher, image),
  };
}

/** The wrapped command as one line for logs (`sh -c '…' uvx pkg`). */
export function describeWrapper(wrapper: LauncherWrapper): string {
  return shellJoin([wrapper.command, ...wrapper.args]);
}
