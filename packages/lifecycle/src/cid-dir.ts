// Temporary directories for `docker run --cidfile` (docker refuses an existing
// file, so each start gets a fresh directory). Named after the owning pid, so
// the ones of a proxy that died without cleaning up can be swept.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { processStartToken } from "./owner.ts";

const PREFIX = "mcpproxy-cid-";
const OWNED = new RegExp(`^${PREFIX}(\\d+)-`);

/** A new empty directory `<tmp>/mcpproxy-cid-<pid>-XXXXXX`. */
export function makeCidDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
}

/** Removes the cidfile directories of pids that no longer exist (best effort). */
export async function sweepCidDirs(): Promise<void> {
  const names = await readdir(os.tmpdir()).catch(() => []);
  for (const name of names) {
    const pid = OWNED.exec(name)?.[1];
    if (pid === undefined || processStartToken(Number(pid)) !== undefined) continue;
    await rm(path.join(os.tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}
