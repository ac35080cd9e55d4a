// Atomic writes: the new text goes to a temp file in the same directory, is
// flushed, then renamed over the old file. A failure at any step leaves the old
// file as it was and removes the temp file.
import { randomBytes } from "node:crypto";
import { chmod, link, open, readFile, realpath, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConfigError, errnoCode } from "./errors.ts";

/** Mode of a config file created from nothing: it holds the API key. */
export const NEW_FILE_MODE = 0o600;

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

async function writeTemp(temp: string, text: string, mode: number): Promise<void> {
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  // open() applies the umask; set the exact mode we mean to keep.
  await chmod(temp, mode);
}

/** A symlinked config (dotfiles) is written through the link, not replaced by a regular file. */
export async function realTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return path;
    throw error;
  }
}

async function currentMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

function writeFailed(path: string, error: unknown): ConfigError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ConfigError(
    "WRITE_FAILED",
    `could not write ${path}: ${reason}; the previous file is unchanged`,
    {
      cause: error,
      file: path,
    },
  );
}

export interface WriteConfigOptions {
  /**
   * The text the file had when it was read: when it no longer has it just before the
   * rename (another program saved it meanwhile), nothing is written and
   * ConfigError("CONFIG_CHANGED") is thrown instead of overwriting that change.
   */
  ifUnchangedFrom?: string | undefined;
}

async function assertUnchanged(path: string, target: string, expected: string): Promise<void> {
  const now = await readFile(target, "utf8").catch((error: unknown) => {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw error;
  });
  if (now === expected) return;
  throw new ConfigError(
    "CONFIG_CHANGED",
    `${path} was changed by another program while it was being edited; nothing was written`,
    { file: path },
  );
}

/**
 * Replace the file at `path` with `text` atomically. An existing file keeps its mode;
 * a new one gets 0600. Throws ConfigError("WRITE_FAILED") and leaves the old file intact on failure.
 * The text is written as given: validate it first (parseConfig) when it comes from a user.
 */
export async function writeConfigFile(
  path: string,
  text: string,
  options: WriteConfigOptions = {},
): Promise<void> {
  let temp: string | undefined;
  try {
    const target = await realTarget(path);
    const mode = (await currentMode(target)) ?? NEW_FILE_MODE;
    temp = tempPathFor(target);
    await writeTemp(temp, text, mode);
    // Checked after the slow part (write + fsync), right before the rename.
    if (options.ifUnchangedFrom !== undefined) await assertUnchanged(path, target, options.ifUnchangedFrom);
    await rename(temp, target);
    temp = undefined;
  } catch (error) {
    if (temp !== undefined) await unlink(temp).catch(() => undefined);
    if (error instanceof ConfigError) throw error;
    throw writeFailed(path, error);
  }
}

/**
 * Create `path` with `text` only if it does not exist yet, without a window in which a
 * reader sees a partial file. Returns false when the file already existed.
 */
export async function createFileExclusive(path: string, text: string, mode: number): Promise<boolean> {
  const temp = tempPathFor(path);
  try {
    await writeTemp(temp, text, mode);
    await link(temp, path);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === "EEXIST") return false;
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS" || code === "EXDEV") {
      // Filesystems without hard links: an exclusive create is the next best thing.
      try {
        await writeFile(path, text, { flag: "wx", mode });
        return true;
      } catch (fallbackError) {
        if (errnoCode(fallbackError) === "EEXIST") return false;
        throw writeFailed(path, fallbackError);
      }
    }
    throw writeFailed(path, error);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
