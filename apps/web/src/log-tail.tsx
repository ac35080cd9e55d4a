// A server's log: followed over Server-Sent Events (GET
// /servers/{name}/logs/follow: the last lines, then each line as the server
// writes it), pausable, searchable. Pausing closes the stream; resuming opens a
// new one, which starts again from the last lines.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, serverPath } from "./api.ts";

const TAIL = 500;
/** Lines kept in the page while following. */
const MAX_LINES = 5000;

type Following = "connecting" | "following" | "reconnecting" | "stopped";

export function LogTail({ name }: { name: string }) {
  const [lines, setLines] = useState<string[]>([]);
  const [paused, setPaused] = useState(false);
  const [query, setQuery] = useState("");
  const [following, setFollowing] = useState<Following>("connecting");
  const [error, setError] = useState<string | undefined>();
  /** Bumped by "Follow again" after the proxy refused the stream. */
  const [attempt, setAttempt] = useState(0);
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    if (paused) return undefined;
    setFollowing("connecting");
    const source = new EventSource(`/api/v1${serverPath(name, `/logs/follow?tail=${TAIL}`)}`);
    // Each (re)connection starts with the last lines: they replace what is shown.
    let fresh = true;
    source.addEventListener("lines", (event: MessageEvent<string>) => {
      const added = (JSON.parse(event.data) as { lines: string[] }).lines;
      const replace = fresh;
      fresh = false;
      setLines((before) => (replace ? added : [...before, ...added]).slice(-MAX_LINES));
      setFollowing("following");
      setError(undefined);
    });
    source.onopen = () => {
      fresh = true;
    };
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        setFollowing("reconnecting");
        return;
      }
      // Refused (not a dropped connection): the plain route says why.
      setFollowing("stopped");
      api<{ lines: string[] }>(serverPath(name, `/logs?tail=${TAIL}`))
        .then((r) => {
          setLines(r.lines);
          setError("The log cannot be followed right now: showing its last lines.");
        })
        .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
    };
    return () => source.close();
  }, [name, paused, attempt]);

  useEffect(() => {
    const el = box.current;
    if (el && !paused) el.scrollTop = el.scrollHeight;
  }, [lines, paused]);

  const needle = query.trim().toLowerCase();
  const shown = needle === "" ? lines : lines.filter((l) => l.toLowerCase().includes(needle));
  const mode = paused
    ? " · paused"
    : following === "following"
      ? " · following"
      : following === "reconnecting"
        ? " · reconnecting…"
        : following === "stopped"
          ? " · not following"
          : " · connecting…";

  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Log</h2>
      <div class="toolbar">
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? "Resume following" : "Pause"}
        </button>
        {following === "stopped" && !paused && (
          <button type="button" onClick={() => setAttempt(attempt + 1)}>
            Follow again
          </button>
        )}
        <label for="log-search">Search the log</label>
        <input id="log-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <span class="muted" aria-live="polite">
          {needle === "" ? `${lines.length} lines` : `${shown.length} of ${lines.length} lines match`}
          {mode}
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
