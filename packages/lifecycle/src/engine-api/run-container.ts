// `docker run -i` without the CLI: create, attach (before start, so no output is
// lost), register the wait (before start, so a fast exit is not missed), start.
// The server's stdio becomes an MCP transport (the same ProcessStdioTransport a
// child process gets: the attach stream, demultiplexed, is just another set of pipes).
import type { ContainerCreateBody } from "@mcpproxy/docker-args";
import { ProcessStdioTransport, type ProcessStdioTransportOptions } from "../transport.ts";
import type { EngineClient } from "./client.ts";
import { EngineApiError } from "./errors.ts";
import {
  attachContainer,
  createContainer,
  removeContainer,
  beginWait,
  startContainer,
  type AttachedStdio,
  type WaitResult,
} from "./containers.ts";

export interface RunningContainer {
  id: string;
  transport: ProcessStdioTransport;
  attached: AttachedStdio;
  /** Resolves when the container exited (never rejects: a lost wait resolves with exitCode -1 and the error). */
  exited: Promise<WaitResult>;
  hasExited(): boolean;
  /**
   * Stops waiting for the container and drops its stdio (the engine keeps it):
   * for an engine that does not answer, as killing the `docker run` CLI is.
   */
  abandon(): void;
}

export interface RunContainerOptions extends Pick<
  ProcessStdioTransportOptions,
  "onCloseRequested" | "stderrLines"
> {
  /** Limit of each engine call (create, attach, start). */
  timeoutMs?: number | undefined;
  /** Called with the transport before the container starts, so its listeners miss no output. */
  onTransport?: ((transport: ProcessStdioTransport) => void) | undefined;
  /** Aborts create, attach and start (a created container is then removed). */
  signal?: AbortSignal | undefined;
}

/**
 * Creates and starts a container with its stdio attached. On any failure before
 * it runs, the created container is removed and the error rethrown.
 */
export async function runContainer(
  client: EngineClient,
  create: { name: string | undefined; body: ContainerCreateBody },
  options: RunContainerOptions = {},
): Promise<RunningContainer> {
  const calls = { timeoutMs: options.timeoutMs, signal: options.signal };
  // The create is not tied to `signal`: a create aborted mid-request may still be
  // carried out by the engine, leaving a container whose id nobody learns. It runs
  // to its answer; an abort that came meanwhile removes the container below.
  const id = await createContainer(client, create, { timeoutMs: options.timeoutMs }).catch(
    async (error: unknown) => {
      // No answer in time: the engine may still create it later; remove it by name, best effort.
      if (error instanceof EngineApiError && error.code === "ENGINE_TIMEOUT" && create.name !== undefined) {
        await removeContainer(client, create.name).catch(() => undefined);
      }
      throw error;
    },
  );
  if (options.signal?.aborted === true) {
    await removeContainer(client, id).catch(() => undefined);
    throw new EngineApiError("ABORTED", `the start of ${create.name ?? id} was cancelled`);
  }
  let attached: AttachedStdio | undefined;
  // Not tied to `signal`: the wait lasts as long as the container (its removal ends it, or abandon()).
  const waitAbort = new AbortController();
  try {
    // Attach and wait are independent: both go out at once, both before the start.
    const [attaching, waiting] = await Promise.allSettled([
      attachContainer(client, id, calls),
      beginWait(client, id, { timeoutMs: options.timeoutMs, signal: waitAbort.signal }),
    ]);
    if (attaching.status === "fulfilled") attached = attaching.value;
    // A wait registered beside a failed attach ends unobserved with the removal below.
    if (waiting.status === "fulfilled") waiting.value.exited.catch(() => undefined);
    if (attaching.status === "rejected") throw attaching.reason;
    if (waiting.status === "rejected") throw waiting.reason;
    let done = false;
    const exited = waiting.value.exited.then(
      (result) => {
        done = true;
        return result;
      },
      // The wait connection broke (engine restarted, aborted): the caller inspects the container.
      (error: unknown): WaitResult => {
        done = true;
        return { exitCode: -1, error: error instanceof Error ? error.message : String(error) };
      },
    );
    const stdio = attaching.value;
    const transport = new ProcessStdioTransport(stdio, {
      onCloseRequested: options.onCloseRequested,
      stderrLines: options.stderrLines,
    });
    options.onTransport?.(transport);
    await startContainer(client, id, calls);
    const abandon = (): void => {
      waitAbort.abort();
      stdio.destroy();
    };
    return { id, transport, attached: stdio, exited, hasExited: () => done, abandon };
  } catch (error) {
    waitAbort.abort();
    attached?.destroy();
    await removeContainer(client, id).catch(() => undefined);
    throw error;
  }
}
