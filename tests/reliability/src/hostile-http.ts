// Hostile HTTP clients for the reliability suite, all on loopback and bounded:
// raw requests that report a status or the socket error, a client that sends
// its headers a byte at a time, crowds of idle connections, a request pool of
// fixed size, and an RSS sampler for the proxy process.
import { request, type OutgoingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";
import { rssBytes } from "./proxy-process.ts";

export interface RawAnswer {
  /** HTTP status, or undefined when the socket failed first. */
  status: number | undefined;
  /** The socket error code (ECONNRESET, EPIPE...) when there was no answer. */
  error: string | undefined;
  body: string;
}

/** One request with exactly these headers and body (no fetch niceties); never throws. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer; timeoutMs?: number },
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const req = request(url, { method: options.method ?? "POST", headers: options.headers, agent: false });
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error("ETIMEDOUT")));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 64 * 1024) chunks.push(chunk);
      });
      res.on("end", () =>
        done({ status: res.statusCode, error: undefined, body: Buffer.concat(chunks).toString() }),
      );
      res.on("error", () => done({ status: res.statusCode, error: undefined, body: "" }));
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      done({ status: undefined, error: error.code ?? error.message, body: "" }),
    );
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function runPool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * A client that sends a request's headers one byte every `intervalMs`, at most
 * `maxBytes` of them. Resolves with whether the server closed the connection
 * before the client ran out of bytes, and what it answered (e.g. 408).
 */
export function slowHeaderClient(
  port: number,
  intervalMs: number,
  maxBytes: number,
): { closedByServer: Promise<{ closed: boolean; answer: string }>; abort(): void } {
  const headers = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${"X-Padding: ".padEnd(8000, "x")}\r\n\r\n`;
  const socket = connect(port, "127.0.0.1");
  let sent = 0;
  let answer = "";
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (answer += chunk));
  socket.on("error", () => undefined);
  const closedByServer = new Promise<{ closed: boolean; answer: string }>((resolve) => {
    const tick = () => {
      if (socket.destroyed) return;
      if (sent >= maxBytes || sent >= headers.length) {
        socket.destroy();
        resolve({ closed: false, answer });
        return;
      }
      socket.write(headers[sent] ?? "x");
      sent++;
      timer = setTimeout(tick, intervalMs);
    };
    socket.once("connect", tick);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve({ closed: sent < maxBytes && sent < headers.length, answer });
    });
  });
  return {
    closedByServer,
    abort: () => {
      clearTimeout(timer);
      socket.destroy();
    },
  };
}

/** Opens `count` TCP connections that send nothing, in batches; returns the open sockets. */
export async function openIdleConnections(port: number, count: number, batch = 500): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const opened = await Promise.all(
      Array.from(
        { length: size },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(port, "127.0.0.1");
            socket.once("connect", () => resolve(socket));
            socket.once("error", reject);
          }),
      ),
    );
    for (const socket of opened) socket.on("error", () => undefined);
    sockets.push(...opened);
  }
  return sockets;
}

/** Samples a process's RSS every `intervalMs` and keeps the peak. */
export function rssSampler(pid: number, intervalMs = 50): { peak(): number; stop(): void } {
  let peak = 0;
  const timer = setInterval(() => {
    rssBytes(pid).then(
      (rss) => (peak = Math.max(peak, rss)),
      () => undefined,
    );
  }, intervalMs);
  return {
    peak: () => peak,
    stop: () => clearInterval(timer),
  };
}
