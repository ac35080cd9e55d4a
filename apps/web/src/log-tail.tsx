// A server's log: followed (polled while on), pausable, searchable.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, serverPath } from "./api.ts";

const TAIL = 500;
const FOLLOW_MS = 1000;

export function LogTail({ name }: { name: string }) {
  const [lines, setLines] = useState<string[]>([]);
  const [paused, setPaused] = useState(false);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | undefined>();
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    if (paused) return undefined;
    let stopped = false;
    const load = () => {
      api<{ lines: string[] }>(serverPath(name, `/logs?tail=${TAIL}`))
        .then((r) => {
          if (stopped) return;
          setLines(r.lines);
          setError(undefined);
        })
        .catch((e: unknown) => {
          if (!stopped) setError(e instanceof ApiError ? e.message : String(e));
        });
    };
    load();
    const timer = setInterval(load, FOLLOW_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [name, paused]);

  useEffect(() => {
    const el = box.current;
    if (el && !paused) el.scrollTop = el.scrollHeight;
  }, [lines, paused]);

  const needle = query.trim().toLowerCase();
  const shown = needle === "" ? lines : lines.filter((l) => l.toLowerCase().includes(needle));

  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Log</h2>
      <div class="toolbar">
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? "Resume following" : "Pause"}
        </button>
        <label for="log-search">Search the log</label>
        <input id="log-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <span class="muted" aria-live="polite">
          {needle === "" ? `${lines.length} lines` : `${shown.length} of ${lines.length} lines match`}
          {paused ? " · paused" : " · following"}
        </span>
      </div>
      {error !== undefined && (
        <p role="alert" class="error-text">
          {error}
        </p>
      )}
      <pre class="log" ref={box} tabIndex={0} aria-label={`Log of ${name}`}>
        {shown.join("\n")}
      </pre>
    </section>
  );
}
