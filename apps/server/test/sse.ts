// A minimal Server-Sent Events reader for tests: fetches a stream and yields
// parsed events until closed.
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseStream {
  /** Resolves with the next event matching `predicate` (skipping others), or rejects at the timeout. */
  next(predicate?: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Every event received so far. */
  readonly received: SseEvent[];
  close(): void;
}

export async function openSse(url: string | URL, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`SSE ${response.status}: ${await response.text()}`);
  const received: SseEvent[] = [];
  let cursor = 0;
  const waiters = new Set<() => void>();
  let ended = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let split: number;
        while ((split = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const event: SseEvent = { id: undefined, event: "message", data: "" };
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "id") event.id = value;
            if (field === "event") event.event = value;
            if (field === "data") data.push(value);
          }
          if (data.length === 0) continue;
          event.data = data.join("\n");
          received.push(event);
          for (const wake of [...waiters]) wake();
        }
      }
    } catch {
      // aborted
    } finally {
      ended = true;
      for (const wake of [...waiters]) wake();
    }
  })();

  return {
    received,
    async next(predicate = () => true, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < received.length) {
          const event = received[cursor++]!;
          if (predicate(event)) return event;
        }
        if (ended) throw new Error("the event stream ended");
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
    close() {
      controller.abort();
    },
  };
}
