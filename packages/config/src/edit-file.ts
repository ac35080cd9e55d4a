// One read-modify-write of the config file that loses nobody's change: writers
// are serialized (withConfigLock), a save by a program that does not take the
// lock (an editor) between our read and our rename makes us start over from its
// text, and success is reported only once the change is read back from disk.
import { readFile } from "node:fs/promises";
import { ConfigError, errnoCode } from "./errors.ts";
import { formatIssues, type ConfigIssue, type ConfigOk } from "./issues.ts";
import { withConfigLock, type ConfigLockOptions } from "./lock.ts";
import { parseConfig } from "./parse.ts";
import type { McpProxyConfig } from "./types.ts";
import { realTarget, writeConfigFile } from "./write.ts";

/**
 * An edit of the file's text (without a byte order mark): the new text, or
 * undefined when the file already says what is wanted. It may throw (e.g.
 * SERVER_NOT_FOUND); it is called again on the newer text after a concurrent save.
 */
export type ConfigTextEdit = (text: string, config: McpProxyConfig) => string | undefined;

export interface EditConfigOptions extends ConfigLockOptions {
  /** How many times to start over after another program saved the file meanwhile. Default 5. */
  retries?: number | undefined;
}

const BOM = "\uFEFF";

async function readRaw(path: string, target: string): Promise<string> {
  try {
    return await readFile(target, "utf8");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") {
      throw new ConfigError("CONFIG_NOT_FOUND", `${path} does not exist`, { cause: error, file: path });
    }
    throw new ConfigError("READ_FAILED", `could not read ${path}`, { cause: error, file: path });
  }
}

export function invalidConfig(path: string, what: string, issues: ConfigIssue[]): ConfigError {
  const lines = formatIssues(issues).map((line) => `  ${line}`);
  return new ConfigError("INVALID_CONFIG", `${path} ${what}:\n${lines.join("\n")}`, { file: path, issues });
}

type Outcome = { done: ConfigOk } | { retry: true };

async function attempt(path: string, target: string, edit: ConfigTextEdit): Promise<Outcome> {
  const raw = await readRaw(path, target);
  const bom = raw.startsWith(BOM) ? BOM : "";
  const text = raw.slice(bom.length);
  const before = parseConfig(text, { source: path });
  if (!before.ok) throw invalidConfig(path, "does not validate; fix it first", before.errors);
  const edited = edit(text, before.config);
  if (edited === undefined) return { done: before };
  const after = parseConfig(edited, { source: path });
  if (!after.ok) throw invalidConfig(path, "would not validate after the edit", after.errors);
  try {
    await writeConfigFile(path, bom + edited, { ifUnchangedFrom: raw });
  } catch (error) {
    if (error instanceof ConfigError && error.code === "CONFIG_CHANGED") return { retry: true };
    throw error;
  }
  // Read back: a program that ignores the lock may have saved right after our rename.
  const onDisk = await readRaw(path, target);
  if (onDisk === bom + edited) return { done: after };
  const now = parseConfig(onDisk.startsWith(BOM) ? onDisk.slice(1) : onDisk, { source: path });
  if (now.ok && edit(onDisk.startsWith(BOM) ? onDisk.slice(1) : onDisk, now.config) === undefined) {
    return { done: now };
  }
  return { retry: true };
}

/**
 * Applies `edit` to the config file at `path` atomically, keeping everything the
 * edit does not touch (comments, formatting). The file must validate before and
 * after. Returns the config now on disk. Throws ConfigError: CONFIG_NOT_FOUND,
 * INVALID_CONFIG, READ_FAILED, WRITE_FAILED, CONFIG_LOCKED, CONFIG_CHANGED (the
 * file kept changing under us: the edit is not on disk), or what `edit` throws.
 */
export async function editConfigFile(
  path: string,
  edit: ConfigTextEdit,
  options: EditConfigOptions = {},
): Promise<ConfigOk> {
  const target = await realTarget(path).catch((error: unknown) => {
    throw new ConfigError("READ_FAILED", `could not resolve ${path}`, { cause: error, file: path });
  });
  const retries = options.retries ?? 5;
  return withConfigLock(
    target,
    async () => {
      for (let round = 0; round <= retries; round++) {
        const outcome = await attempt(path, target, edit);
        if ("done" in outcome) return outcome.done;
      }
      throw new ConfigError(
        "CONFIG_CHANGED",
        `${path} kept changing while it was being edited (${retries + 1} tries); the change is not on disk — try again`,
        { file: path },
      );
    },
    options,
  );
}
