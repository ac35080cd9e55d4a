// The engine's JSON streams: GET /events (one JSON object per line) and
// GET /containers/{id}/stats (one sample per second). Each call resolves once
// the engine started answering; the stream then runs until `stop()`, the
// caller's signal, or the engine ending it (onEnd).
import { createInterface } from "node:readline";
import type { IncomingMessage } from "node:http";
import type { EngineClient } from "./client.ts";

export interface JsonStream {
  /** Ends the stream (idempotent). */
  stop(): void;
  /** Resolves when the stream ended, for any reason. */
  readonly ended: Promise<void>;
}

function followLines(
  response: IncomingMessage,
  controller: AbortController,
  onValue: (value: unknown) => void,
  onEnd?: (error: Error | undefined) => void,
): JsonStream {
  const lines = createInterface({ input: response, crlfDelay: Infinity });
  let failure: Error | undefined;
  response.on("error", (error) => {
    failure = controller.signal.aborted ? undefined : error;
  });
  const ended = (async () => {
    try {
      for await (const line of lines) {
        if (line.trim() === "") continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          continue; // a torn line at the end of an aborted stream
        }
        onValue(value);
      }
    } catch (error) {
      if (!controller.signal.aborted) failure = error instanceof Error ? error : new Error(String(error));
    }
    onEnd?.(failure);
  })();
  return { stop: () => controller.abort(), ended };
}

/** A container event (Type "container"), as the engine sends it. */
export interface ContainerEvent {
  /** "create", "start", "die", "oom", "kill", "stop", "destroy", ... */
  action: string;
  id: string;
  /** The container's labels and, for "die", `exitCode`. */
  attributes: Record<string, string>;
  /** Nanoseconds since the epoch. */
  timeNano: number;
}

export interface EventsOptions {
  /** Label filters, `key=value` or `key` (all must match). */
  labels?: readonly string[] | undefined;
  /** Actions to receive (default: all). */
  actions?: readonly string[] | undefined;
  /** Limit until the engine starts answering. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onEnd?: ((error: Error | undefined) => void) | undefined;
}

function parseEvent(raw: unknown): ContainerEvent | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const event = raw as {
    Type?: unknown;
    Action?: unknown;
    Actor?: { ID?: unknown; Attributes?: unknown };
    timeNano?: unknown;
  };
  if (event.Type !== "container" || typeof event.Action !== "string" || typeof event.Actor?.ID !== "string") {
    return undefined;
  }
  const attributes: Record<string, string> = {};
  if (typeof event.Actor.Attributes === "object" && event.Actor.Attributes !== null) {
    for (const [key, value] of Object.entries(event.Actor.Attributes)) {
      if (typeof value === "string") attributes[key] = value;
    }
  }
  return {
    action: event.Action,
    id: event.Actor.ID,
    attributes,
    timeNano: typeof event.timeNano === "number" ? event.timeNano : Date.now() * 1e6,
  };
}

/** GET /events for containers: each matching event reaches `onEvent` as it happens. */
export async function watchContainerEvents(
  client: EngineClient,
  onEvent: (event: ContainerEvent) => void,
  options: EventsOptions = {},
): Promise<JsonStream> {
  const controller = new AbortController();
  options.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  const filters: Record<string, string[]> = { type: ["container"] };
  if (options.labels !== undefined && options.labels.length > 0) filters["label"] = [...options.labels];
  if (options.actions !== undefined && options.actions.length > 0) filters["event"] = [...options.actions];
  const response = await client.stream("GET", "/events", {
    query: { filters },
    timeoutMs: options.timeoutMs,
    signal: controller.signal,
  });
  return followLines(
    response,
    controller,
    (raw) => {
      const event = parseEvent(raw);
      if (event !== undefined) onEvent(event);
    },
    options.onEnd,
  );
}

export interface StatsStreamOptions {
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onEnd?: ((error: Error | undefined) => void) | undefined;
}

/** GET /containers/{id}/stats?stream=true: the engine's raw samples, about one a second. */
export async function streamContainerStats(
  client: EngineClient,
  id: string,
  onSample: (sample: unknown) => void,
  options: StatsStreamOptions = {},
): Promise<JsonStream> {
  const controller = new AbortController();
  options.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  const response = await client.stream("GET", `/containers/${encodeURIComponent(id)}/stats`, {
    query: { stream: true },
    timeoutMs: options.timeoutMs,
    signal: controller.signal,
  });
  return followLines(response, controller, onSample, options.onEnd);
}

/** GET /containers/{id}/stats?stream=false (with one-shot=false the engine takes two readings for CPU %). */
export async function containerStatsOnce(
  client: EngineClient,
  id: string,
  options: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined } = {},
): Promise<unknown> {
  return client.request<unknown>("GET", `/containers/${encodeURIComponent(id)}/stats`, {
    query: { stream: false },
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
}
