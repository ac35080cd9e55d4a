// Checks on input that config validation should already have caught. Each
// failure is a DockerArgsError naming the field and the value.
import { isCapability, isNetworkMode, isUser, memoryBytes, nanoCpus } from "@mcpproxy/docker-grammar";
import { DockerArgsError, type DockerArgsErrorCode } from "./errors.ts";

const CONTROL = /\p{Cc}/u;
const NAME_SUFFIX = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

export function fail(code: DockerArgsErrorCode, field: string, value: string, why: string): never {
  throw new DockerArgsError(code, field, value, `${field} ${JSON.stringify(value)} is invalid: ${why}`);
}

export function hasControl(value: string): boolean {
  return CONTROL.test(value);
}

/** A string that is non-empty after trimming and has no control characters. */
export function requireText(code: DockerArgsErrorCode, field: string, value: unknown): string {
  if (typeof value !== "string") fail(code, field, String(value), "it is not a string");
  if (value.trim() === "") fail(code, field, value, "it is empty");
  if (hasControl(value)) fail(code, field, value, "it contains control characters (newline, tab, NUL, ...)");
  return value;
}

/** Bytes of memory_limit (Docker's size grammar). */
export function checkMemory(value: string): number {
  const bytes = memoryBytes(value);
  if (bytes === undefined) {
    fail("INVALID_MEMORY_LIMIT", "memory_limit", value, 'expected a size such as "512m" or "1g"');
  }
  return bytes;
}

/** NanoCpus of cpu_limit. */
export function checkCpus(value: string): number {
  const nano = nanoCpus(value);
  if (nano === undefined) {
    fail("INVALID_CPU_LIMIT", "cpu_limit", value, 'expected a positive number of CPUs such as "1.0"');
  }
  return nano;
}

export function checkNetwork(value: string): void {
  if (!isNetworkMode(value)) {
    fail(
      "INVALID_NETWORK_MODE",
      "network_mode",
      value,
      "expected bridge, host, none, container:<id> or a network name",
    );
  }
}

export function checkWorkingDir(value: string): void {
  requireText("INVALID_WORKING_DIR", "working_dir", value);
  if (!value.startsWith("/"))
    fail("INVALID_WORKING_DIR", "working_dir", value, "it must be an absolute path");
}

export function checkPidsLimit(value: number): void {
  if (!Number.isSafeInteger(value) || value < -1) {
    fail("INVALID_PIDS_LIMIT", "pids_limit", String(value), "expected an integer ≥ -1 (-1 = unlimited)");
  }
}

export function checkCapability(value: string, index: number): void {
  if (!isCapability(value)) {
    fail(
      "INVALID_CAP_DROP",
      `cap_drop[${index}]`,
      value,
      'expected a capability name such as "ALL" or "NET_RAW"',
    );
  }
}

export function checkUser(value: string): void {
  if (!isUser(value)) fail("INVALID_USER", "user", value, 'expected "uid[:gid]" or "name[:group]"');
}

export function checkNameSuffix(value: string): void {
  if (!NAME_SUFFIX.test(value)) {
    fail(
      "INVALID_OPTION",
      "options.nameSuffix",
      value,
      "expected 1-32 characters of [A-Za-z0-9_.-], starting alphanumeric",
    );
  }
}

/** Label keys: no `=`, whitespace or control characters, and not the reserved `io.mcpproxy.` namespace. */
export function checkLabelKey(key: string): void {
  const field = `options.extraLabels.${key}`;
  if (key === "" || /[=\s]/u.test(key) || hasControl(key)) {
    fail("INVALID_OPTION", field, key, "a label key must be non-empty, without '=' or whitespace");
  }
  if (key.startsWith("io.mcpproxy."))
    fail("INVALID_OPTION", field, key, "io.mcpproxy.* labels are set by the proxy");
}

/** Env names as `-e NAME` can carry them: no `=`, no control characters, no leading `-`. */
export function checkEnvKey(key: string): void {
  const field = `env.${key}`;
  if (key === "") fail("INVALID_ENV_KEY", field, key, "it is empty");
  if (key.includes("="))
    fail("INVALID_ENV_KEY", field, key, "an environment variable name cannot contain '='");
  if (hasControl(key)) fail("INVALID_ENV_KEY", field, key, "it contains control characters");
  if (key.startsWith("-")) fail("INVALID_ENV_KEY", field, key, "it starts with '-'");
}

/** Env values may hold anything but NUL (which no process environment can carry). The value is never echoed. */
export function checkEnvValue(key: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new DockerArgsError("INVALID_ENV_VALUE", `env.${key}`, "***", `env.${key} is not a string`);
  }
  if (value.includes("\0")) {
    throw new DockerArgsError("INVALID_ENV_VALUE", `env.${key}`, "***", `env.${key} contains a NUL byte`);
  }
  return value;
}

/** argv entries may hold anything but NUL. */
export function checkArgvEntry(code: DockerArgsErrorCode, field: string, value: unknown): string {
  if (typeof value !== "string") fail(code, field, String(value), "it is not a string");
  if (value.includes("\0")) fail(code, field, value, "it contains a NUL byte");
  return value;
}
