// The Engine API wire layer: docker-modem (the transport under dockerode) speaks
// HTTP over a unix socket, a Windows named pipe or tcp+TLS, upgrades attach
// connections (hijack) and demultiplexes their stdout/stderr frames. Every call
// here has a timeout: for a plain call until its answer, for a stream until the
// engine starts answering (a stream then lasts until it ends or is aborted).
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { Duplex, Writable } from "node:stream";
import DockerModem from "docker-modem";
import type { EngineHealth } from "../engine-health.ts";
import { connectionTarget, engineConnection, type EngineConnection } from "./connection.ts";
import { resolveEngineEndpoint, type EngineEndpoint, type ResolveEndpointOptions } from "./endpoint.ts";
import { EngineApiError } from "./errors.ts";

/** The API version spoken; the oldest the proxy supports (Docker 20.10). Newer engines accept it. */
export const ENGINE_API_VERSION = "v1.41";
/** Default limit of one call (until the answer; until the first byte for streams). */
export const ENGINE_CALL_TIMEOUT_MS = 15_000;

export interface EngineClientOptions extends ResolveEndpointOptions {
  /** Default: resolveEngineEndpoint(options). */
  endpoint?: EngineEndpoint | undefined;
  /** Default limit of each call (ENGINE_CALL_TIMEOUT_MS). */
  timeoutMs?: number | undefined;
  /** Shortens calls while the endpoint seems hung, and is told how each call ended (shared with the CLI). */
  health?: EngineHealth | undefined;
}

export interface EngineCallOptions {
  query?: Record<string, unknown> | undefined;
  body?: unknown;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

const OK_STATUS: Record<number, boolean> = { 200: true, 201: true, 204: true, 304: true };
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EACCES",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);

interface ModemError extends Error {
  statusCode?: number;
  json?: unknown;
  code?: string;
}

function engineWords(error: ModemError): string {
  const json = error.json;
  if (
    typeof json === "object" &&
    json !== null &&
    typeof (json as { message?: unknown }).message === "string"
  ) {
    return (json as { message: string }).message;
  }
  return error.message.replace(/^\(HTTP code \d+\) [^-]*- /, "").trim();
}

export class EngineClient {
  readonly endpoint: EngineEndpoint;
  readonly timeoutMs: number;
  /** Where the engine is, with the TLS files read once (every attach uses them). */
  readonly #connection: EngineConnection;
  readonly #modem: DockerModem;
  readonly #health: EngineHealth | undefined;

  constructor(options: EngineClientOptions = {}) {
    this.endpoint = options.endpoint ?? resolveEngineEndpoint(options);
    this.timeoutMs = options.timeoutMs ?? ENGINE_CALL_TIMEOUT_MS;
    this.#health = options.health;
    this.#connection = engineConnection(this.endpoint);
    this.#modem = new DockerModem({ version: ENGINE_API_VERSION, ...this.#connection });
  }

  #limitMs(options: EngineCallOptions): number {
    const limit = options.timeoutMs ?? this.timeoutMs;
    return this.#health?.limitMs(limit) ?? limit;
  }

  /** A call that timed out marks the endpoint hung; any answer (a refusal, a closed socket too) clears it. */
  #note(timedOut: boolean, aborted: boolean): void {
    if (timedOut) this.#health?.note("timed-out");
    else if (!aborted) this.#health?.note("answered");
  }

  /** A call answered with JSON (or nothing); rejects with EngineApiError. */
  async request<T>(method: string, path: string, options: EngineCallOptions = {}): Promise<T> {
    return (await this.#dial(method, path, options, {})) as T;
  }

  /** A streamed answer (events, stats, logs); abort `signal` to end it. */
  async stream(method: string, path: string, options: EngineCallOptions = {}): Promise<IncomingMessage> {
    return (await this.#dial(method, path, options, { isStream: true })) as IncomingMessage;
  }

  /**
   * An upgraded connection (attach): the engine's raw stream, writable for stdin.
   * Node's http client does the upgrade (docker-modem's hijack never sends the
   * request headers when stdin stays open): a bodiless POST with
   * `Connection: Upgrade`, as the docker CLI sends it.
   */
  async hijack(path: string, options: EngineCallOptions = {}): Promise<Duplex> {
    const timeoutMs = this.#limitMs(options);
    const query = new URLSearchParams(
      Object.entries(options.query ?? {}).map(([key, value]): [string, string] => [key, String(value)]),
    ).toString();
    const signal = AbortSignal.any([
      AbortSignal.timeout(timeoutMs),
      ...(options.signal === undefined ? [] : [options.signal]),
    ]);
    const secure = this.#connection.protocol === "https";
    const target = `/${ENGINE_API_VERSION}${path}${query === "" ? "" : `?${query}`}`;
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request({
        ...connectionTarget(this.#connection),
        path: target,
        method: "POST",
        headers: { Connection: "Upgrade", Upgrade: "tcp" },
        signal,
      });
      request.on("upgrade", (_response, socket, head) => {
        this.#note(false, false);
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      request.on("response", (response) => {
        this.#note(false, false);
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => {
          const error: ModemError = Object.assign(new Error(body), { statusCode: response.statusCode ?? 0 });
          try {
            error.json = JSON.parse(body) as unknown;
          } catch {
            // not JSON: the raw words stay in the message
          }
          reject(this.#failure(`POST ${path}`, error, false, timeoutMs));
        });
      });
      request.on("error", (error: ModemError) => {
        const timedOut = signal.aborted && options.signal?.aborted !== true;
        this.#note(timedOut, options.signal?.aborted === true);
        reject(this.#failure(`POST ${path}`, error, timedOut, timeoutMs));
      });
      request.end();
    });
  }

  /** Splits an attach stream (no TTY) into the container's stdout and stderr. */
  demux(stream: NodeJS.ReadableStream, stdout: Writable, stderr: Writable): void {
    this.#modem.demuxStream(stream, stdout, stderr);
  }

  #dial(
    method: string,
    path: string,
    options: EngineCallOptions,
    mode: { isStream?: boolean },
  ): Promise<unknown> {
    const timeoutMs = this.#limitMs(options);
    const controller = new AbortController();
    const timedOut = new Error("timeout");
    const timer = setTimeout(() => controller.abort(timedOut), timeoutMs);
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted === true) onAbort();
    const hasQuery = options.query !== undefined && Object.keys(options.query).length > 0;
    const dialOptions: DockerModem.DialOptions = {
      path: hasQuery ? `${path}?` : path,
      method,
      statusCodes: OK_STATUS,
      abortSignal: controller.signal,
      ...mode,
    };
    if (hasQuery || options.body !== undefined) {
      dialOptions.options = { _query: options.query ?? {}, _body: options.body ?? {} };
    }
    return new Promise((resolve, reject) => {
      this.#modem.dial(dialOptions, (error, result) => {
        clearTimeout(timer);
        if (mode.isStream !== true) options.signal?.removeEventListener("abort", onAbort);
        const didTimeOut = controller.signal.reason === timedOut;
        this.#note(didTimeOut, controller.signal.aborted && !didTimeOut);
        if (error === null) {
          resolve(result);
          return;
        }
        reject(this.#failure(`${method} ${path}`, error, didTimeOut, timeoutMs));
      });
    });
  }

  #failure(what: string, error: ModemError, timedOut: boolean, timeoutMs: number): EngineApiError {
    const where = `${this.endpoint.host} (context ${this.endpoint.context})`;
    if (timedOut) {
      return new EngineApiError(
        "ENGINE_TIMEOUT",
        `the Docker engine at ${where} did not answer ${what} within ${timeoutMs / 1000} s`,
        {
          cause: error,
        },
      );
    }
    const status = error.statusCode;
    if (status === undefined) {
      if (error.name === "AbortError" || error.code === "ABORT_ERR") {
        return new EngineApiError("ABORTED", `${what} was aborted`, { cause: error });
      }
      if (error.code !== undefined && UNREACHABLE.has(error.code)) {
        return new EngineApiError(
          "ENGINE_UNREACHABLE",
          `cannot reach the Docker engine at ${this.endpoint.host}; is dockerd running? (context ${this.endpoint.context}: ${error.code})`,
          { cause: error },
        );
      }
      return new EngineApiError("ENGINE_UNREACHABLE", `${what} at ${where} failed: ${error.message}`, {
        cause: error,
      });
    }
    const code = status === 404 ? "NOT_FOUND" : status === 409 ? "CONFLICT" : "ENGINE_REFUSED";
    return new EngineApiError(code, engineWords(error), { statusCode: status, cause: error });
  }
}
