// The proxy's containers as a set, through the Engine API: list by label (the
// list answer carries every label, so no inspect follows), remove several at
// once, and read a container's log.
import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { EngineClient } from "./client.ts";
import { inspectContainerJson, removeContainer, type CallOptions } from "./containers.ts";
import { EngineApiError } from "./errors.ts";

/** One row of GET /containers/json. */
export interface ContainerSummary {
  id: string;
  /** Without the leading `/`. */
  name: string;
  image: string;
  /** "created", "running", "exited", ... */
  state: string;
  /** e.g. "Up 3 minutes". */
  status: string;
  labels: Record<string, string>;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== "object" || value === null) return out;
  for (const [key, entry] of Object.entries(value)) if (typeof entry === "string") out[key] = entry;
  return out;
}

function summaryOf(raw: unknown): ContainerSummary | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const row = raw as {
    Id?: unknown;
    Names?: unknown;
    Image?: unknown;
    State?: unknown;
    Status?: unknown;
    Labels?: unknown;
  };
  if (typeof row.Id !== "string") return undefined;
  const names = Array.isArray(row.Names) ? row.Names.filter((name) => typeof name === "string") : [];
  return {
    id: row.Id,
    name: (names[0] ?? "").replace(/^\//, ""),
    image: typeof row.Image === "string" ? row.Image : "",
    state: typeof row.State === "string" ? row.State : "unknown",
    status: typeof row.Status === "string" ? row.Status : "",
    labels: stringRecord(row.Labels),
  };
}

/** GET /containers/json?all=1: every container (running or not) with all of `labels` (`key=value` or `key`). */
export async function listContainersByLabel(
  client: EngineClient,
  labels: readonly string[],
  options: CallOptions = {},
): Promise<ContainerSummary[]> {
  const rows = await client.request<unknown>("GET", "/containers/json", {
    ...options,
    query: { all: true, filters: { label: [...labels] } },
  });
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((row) => summaryOf(row) ?? []);
}

/** How long a removal someone else began may take before it counts as failed. */
const FOREIGN_REMOVAL_WAIT_MS = 30_000;

/**
 * DELETE of each container (force, volumes), all at once; ids already gone are
 * fine, and so is a removal already under way by someone else (two proxies
 * sweeping the same orphans): it is waited for. Rejects with the first failure
 * once every removal has settled.
 */
export async function removeContainersApi(
  client: EngineClient,
  ids: readonly string[],
  options: CallOptions = {},
): Promise<void> {
  const results = await Promise.allSettled(
    ids.map(async (id) => {
      if ((await removeContainer(client, id, options)) === "in-progress")
        await waitUntilGone(client, id, options);
    }),
  );
  const failed = results.find((result) => result.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}

/** Resolves once `id` no longer exists (bounded: a removal that never ends is reported as one). */
async function waitUntilGone(client: EngineClient, id: string, options: CallOptions): Promise<void> {
  const deadline = Date.now() + FOREIGN_REMOVAL_WAIT_MS;
  while ((await inspectContainerJson(client, id, options)) !== undefined) {
    if (Date.now() > deadline) {
      throw new EngineApiError(
        "ENGINE_REFUSED",
        `container ${id} was still being removed after ${FOREIGN_REMOVAL_WAIT_MS / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET /containers/{id}/logs: what the container wrote, per stream, as lines (the last `tail` of each). */
export async function containerLogsApi(
  client: EngineClient,
  id: string,
  options: CallOptions & { tail?: number | undefined } = {},
): Promise<{ stdout: string[]; stderr: string[] }> {
  const response = await client.stream("GET", `/containers/${encodeURIComponent(id)}/logs`, {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    query: { stdout: true, stderr: true, tail: options.tail === undefined ? "all" : String(options.tail) },
  });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { stdout: "", stderr: "" };
  stdout.on("data", (chunk: Buffer) => (text.stdout += chunk.toString("utf8")));
  stderr.on("data", (chunk: Buffer) => (text.stderr += chunk.toString("utf8")));
  const drained = Promise.all([once(stdout, "end"), once(stderr, "end")]);
  const ended = new Promise<void>((resolve, reject) => {
    response.once("end", resolve);
    response.once("error", reject);
  });
  client.demux(response, stdout, stderr);
  await ended;
  stdout.end();
  stderr.end();
  await drained;
  const lines = (value: string): string[] => (value === "" ? [] : value.replace(/\n$/, "").split("\n"));
  return { stdout: lines(text.stdout), stderr: lines(text.stderr) };
}
