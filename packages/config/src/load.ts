// Reading the config file, and creating it on first run.
import { randomBytes } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { defaultConfig } from "./defaults.ts";
import { withApiKey } from "./edit.ts";
import { editConfigFile } from "./edit-file.ts";
import { ConfigError, errnoCode } from "./errors.ts";
import type { ConfigFailure, ConfigResult } from "./issues.ts";
import { parseConfig } from "./parse.ts";
import { createFileExclusive, NEW_FILE_MODE } from "./write.ts";

/** The result for a config file that does not exist. */
export function configNotFound(path: string): ConfigFailure {
  const message = `${path} does not exist; create it (mcpproxy creates a default one on first run) or point --config / MCPPROXY_CONFIG at an existing file`;
  return {
    ok: false,
    errors: [{ path: "", code: "CONFIG_NOT_FOUND", message, file: path }],
    warnings: [],
    source: path,
  };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw new ConfigError("READ_FAILED", `could not read ${path}: ${(error as Error).message}`, {
      cause: error,
      file: path,
    });
  }
}

/** Read, parse and validate the config file. A missing file is `ok: false` with CONFIG_NOT_FOUND, not a throw. */
export async function loadConfig(path: string): Promise<ConfigResult> {
  const text = await readText(path);
  return text === undefined ? configNotFound(path) : parseConfig(text, { source: path });
}

/** A new random API key: 32 bytes as 64 hex characters. */
export function generateApiKey(): string {
  return randomBytes(32).toString("hex");
}

/** The text of a first-run config file: every default, no servers, the given key. */
export function defaultConfigText(apiKey: string): string {
  const { listen, ...rest } = defaultConfig();
  return `${JSON.stringify({ listen, api_key: apiKey, ...rest }, null, 2)}\n`;
}

export interface EnsureConfigResult {
  path: string;
  /** True when this call created the file. */
  created: boolean;
  result: ConfigResult;
}

/**
 * First run: create the directory (0700) and a default config file (0600) with a generated
 * api_key. An existing valid file without api_key gets one added, keeping its comments.
 * An existing file that does not validate is left untouched and its errors returned.
 */
export async function ensureConfigFile(path: string): Promise<EnsureConfigResult> {
  let text = await readText(path);
  if (text === undefined) {
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new ConfigError("WRITE_FAILED", `could not create the directory of ${path}`, {
        cause: error,
        file: path,
      });
    }
    const fresh = defaultConfigText(generateApiKey());
    if (await createFileExclusive(path, fresh, NEW_FILE_MODE)) {
      return { path, created: true, result: parseConfig(fresh, { source: path }) };
    }
    // Another process created it in the meantime: use theirs.
    text = await readText(path);
    if (text === undefined) return { path, created: false, result: configNotFound(path) };
  }
  const result = parseConfig(text, { source: path });
  if (!result.ok || result.config.api_key !== undefined) return { path, created: false, result };
  // Under the config lock, like every edit: a concurrent `servers add` is not lost.
  const written = await editConfigFile(path, (current, config) =>
    config.api_key === undefined ? withApiKey(current, generateApiKey()) : undefined,
  );
  return { path, created: false, result: written };
}
