// A server's command + args → the package it runs, or why it cannot be prepared.
import { commandBaseName } from "@mcpproxy/config";
import { parseNpmRunner } from "./parse-npm.ts";
import { parsePipScript, parsePythonRunner } from "./parse-python.ts";
import type { ParseResult } from "./spec.ts";

const SHELLS = ["sh", "bash", "dash", "ash", "zsh"];

/**
 * Parses a package-runner command (`npx -y pkg`, `npm exec`, `pnpm dlx`, `yarn dlx`,
 * `bunx`, `uvx`, `uv tool run`, `pipx run`, `sh -c "pip install pkg && entry"`)
 * into a package spec. Never throws: anything else is `{ ok: false, reason }`.
 */
export function parseRunnerCommand(command: string, args: readonly string[]): ParseResult {
  const base = commandBaseName(command);
  const [first, ...rest] = args;
  switch (base) {
    case "npx":
    case "pnpx":
      return parseNpmRunner(base === "pnpx" ? "pnpm dlx" : "npx", args);
    case "bunx":
      return parseNpmRunner("bunx", args);
    case "npm":
      if (first === "exec" || first === "x") return parseNpmRunner("npm exec", rest);
      break;
    case "pnpm":
      if (first === "dlx") return parseNpmRunner("pnpm dlx", rest);
      break;
    case "yarn":
      if (first === "dlx") return parseNpmRunner("yarn dlx", rest);
      break;
    case "bun":
      if (first === "x") return parseNpmRunner("bunx", rest);
      break;
    case "uvx":
      return parsePythonRunner("uvx", args);
    case "uv":
      if (first === "tool" && rest[0] === "run") return parsePythonRunner("uv tool run", rest.slice(1));
      if (first === "tool" && rest[0] === "uvx") return parsePythonRunner("uvx", rest.slice(1));
      break;
    case "pipx":
      if (first === "run") return parsePythonRunner("pipx run", rest);
      break;
    default:
      if (SHELLS.includes(base) && first === "-c" && rest[0] !== undefined && rest.length === 1) {
        return parsePipScript(rest[0]);
      }
  }
  const shown = [command, ...args.slice(0, 2)].join(" ");
  const known = ["npm", "pnpm", "yarn", "bun", "uv", "pipx"].includes(base);
  return {
    ok: false,
    reason: {
      code: known ? "UNSUPPORTED_FORM" : "NOT_A_RUNNER",
      message: known
        ? `\`${shown}\` is not a package-run form the prepare builder knows (e.g. \`${base} ${base === "uv" ? "tool run" : base === "pipx" ? "run" : base === "npm" ? "exec" : "dlx"}\`); the server runs as configured`
        : `\`${base}\` is not a package runner (npx, npm exec, pnpm dlx, yarn dlx, bunx, uvx, uv tool run, pipx run, pip install); the server runs as configured`,
    },
  };
}
