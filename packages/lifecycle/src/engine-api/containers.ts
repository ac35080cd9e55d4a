// One container's life through the Engine API: create, attach, start, wait,
// inspect, stop, remove. Each call has the client's timeout unless given one;
// `wait` is a long poll that lasts until the container exits (or is aborted).
import { PassThrough, type Duplex, type Readable } from "node:stream";
import type { ContainerCreateBody } from "@mcpproxy/docker-args";
import { parseContainerInfo, type ContainerInfo } from "../container-info.ts";
import type { EngineClient } from "./client.ts";
import { EngineApiError } from "./errors.ts";

export interface CallOptions {
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

function containerPath(id: string, action = ""): string {
  return `/containers/${encodeURIComponent(id)}${action === "" ? "" : `/${action}`}`;
}

/** POST /containers/create; resolves the new container's id. */
export async function createContainer(
  client: EngineClient,
  create: { name: string | undefined; body: ContainerCreateBody },
  options: CallOptions = {},
): Promise<string> {
  const result = await client.request<{ Id?: unknown }>("POST", "/containers/create", {
    ...options,
    query: create.name === undefined ? undefined : { name: create.name },
    body: create.body,
  });
  if (typeof result.Id !== "string") {
    throw new EngineApiError(
      "ENGINE_REFUSED",
      `the engine created no container id for ${create.name ?? "a container"}`,
    );
  }
  return result.Id;
}

/** The container's stdio, attached: stdin is writable (end() closes the container's stdin). */
export interface AttachedStdio {
  stdin: Duplex;
  stdout: Readable;
  stderr: Readable;
  /** Drops the connection (the container keeps running unless its stdin closing ends it). */
  destroy(): void;
}

/**
 * POST /containers/{id}/attach (stdin, stdout, stderr, stream): attach before
 * start so no output is lost. The frames are split by docker-modem.
 */
export async function attachContainer(
  client: EngineClient,
  id: string,
  options: CallOptions = {},
): Promise<AttachedStdio> {
  const socket = await client.hijack(containerPath(id, "attach"), {
    ...options,
    query: { stream: true, stdin: true, stdout: true, stderr: true },
  });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  client.demux(socket, stdout, stderr);
  const finish = (): void => {
    stdout.end();
    stderr.end();
  };
  socket.once("end", finish);
  socket.once("close", finish);
  socket.on("error", (error) => {
    stdout.destroy(error);
    stderr.end();
  });
  return { stdin: socket, stdout, stderr, destroy: () => socket.destroy() };
}

export async function startContainer(
  client: EngineClient,
  id: string,
  options: CallOptions = {},
): Promise<void> {
  await client.request("POST", containerPath(id, "start"), options);
}

export interface WaitResult {
  exitCode: number;
  /** The engine's error (e.g. the command was not found), when it gave one. */
  error: string | undefined;
}

/**
 * POST /containers/{id}/wait?condition=next-exit. Resolves once the engine
 * accepted the wait (its answer's headers), with `exited`, a promise of the exit: so a
 * wait begun before start cannot miss a fast exit (the CLI does the same). The
 * exit itself has no timeout: abort `signal` to stop waiting.
 */
export async function beginWait(
  client: EngineClient,
  id: string,
  options: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined } = {},
): Promise<{ exited: Promise<WaitResult> }> {
  const response = await client.stream("POST", containerPath(id, "wait"), {
    query: { condition: "next-exit" },
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  const exited = (async () => {
    let text = "";
    response.setEncoding("utf8");
    for await (const chunk of response) text += String(chunk);
    const parsed = JSON.parse(text) as { StatusCode?: unknown; Error?: { Message?: unknown } | null };
    const message = parsed.Error?.Message;
    return {
      exitCode: typeof parsed.StatusCode === "number" ? parsed.StatusCode : -1,
      error: typeof message === "string" && message !== "" ? message : undefined,
    };
  })();
  return { exited };
}

/** GET /containers/{id}/json as the engine sends it; undefined when it does not exist. */
export async function inspectContainerJson(
  client: EngineClient,
  id: string,
  options: CallOptions = {},
): Promise<unknown> {
  try {
    return await client.request<unknown>("GET", containerPath(id, "json"), options);
  } catch (error) {
    if (error instanceof EngineApiError && error.code === "NOT_FOUND") return undefined;
    throw error;
  }
}

/** A container's state (as engine.ts's `inspectContainer` reports it); undefined when it does not exist. */
export async function inspectContainerApi(
  client: EngineClient,
  id: string,
  options: CallOptions = {},
): Promise<ContainerInfo | undefined> {
  const raw = await inspectContainerJson(client, id, options);
  return raw === undefined ? undefined : parseContainerInfo(raw);
}

/** POST /containers/{id}/stop?t=: SIGTERM, SIGKILL after `graceSeconds`. A stopped or gone container is fine. */
export async function stopContainer(
  client: EngineClient,
  id: string,
  graceSeconds: number,
  options: CallOptions = {},
): Promise<void> {
  try {
    await client.request("POST", containerPath(id, "stop"), {
      // The engine kills after the grace; a few seconds more mean it hangs.
      timeoutMs: options.timeoutMs ?? (graceSeconds + 3) * 1000,
      signal: options.signal,
      query: { t: graceSeconds },
    });
  } catch (error) {
    if (error instanceof EngineApiError && error.code === "NOT_FOUND") return;
    throw error;
  }
}

/**
 * DELETE /containers/{id}?force=true&v=true; a container already gone is fine, and
 * so is one whose removal someone else began ("in-progress": it may still exist a moment).
 */
export async function removeContainer(
  client: EngineClient,
  id: string,
  options: CallOptions = {},
): Promise<"removed" | "absent" | "in-progress"> {
  try {
    await client.request("DELETE", containerPath(id), { ...options, query: { force: true, v: true } });
    return "removed";
  } catch (error) {
    if (error instanceof EngineApiError && error.code === "NOT_FOUND") return "absent";
    if (
      error instanceof EngineApiError &&
      error.code === "CONFLICT" &&
      /already in progress/i.test(error.message)
    )
      return "in-progress";
    throw error;
  }
}
