// Normalizing what people write as a server command: paths (POSIX or Windows),
// Windows launcher extensions and case. Shared with @mcpproxy/runtime-detect.

const WINDOWS_LAUNCHER_EXTENSIONS = /\.(exe|cmd|bat|ps1|com)$/i;

/** Container engines whose CLI runs containers itself: wrapping them in Docker would be Docker-in-Docker. */
export const CONTAINER_RUNTIME_COMMANDS: readonly string[] = ["docker", "podman", "nerdctl"];

/**
 * The bare program name of a command: directory and Windows launcher extension
 * removed, lower-cased. `/usr/local/bin/Python3.EXE` → `python3`, `npx.cmd` → `npx`.
 */
export function commandBaseName(command: string): string {
  const trimmed = command.trim();
  const lastSeparator = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  const base = lastSeparator >= 0 ? trimmed.slice(lastSeparator + 1) : trimmed;
  return base.replace(WINDOWS_LAUNCHER_EXTENSIONS, "").toLowerCase();
}

/** True when the command is a container runtime CLI (docker, podman, nerdctl, as a path or .exe too). */
export function isContainerRuntimeCommand(command: string): boolean {
  return CONTAINER_RUNTIME_COMMANDS.includes(commandBaseName(command));
}
