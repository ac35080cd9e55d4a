// Search every upstream tool, ranked as retrieve_tools ranks them (GET /api/v1/tools).
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type ToolHit } from "./api.ts";

const DEBOUNCE_MS = 200;

export function ToolSearch() {
  const [query, setQuery] = useState("");
  const [result, setResult] = useState<{ tools: ToolHit[]; total_tools: number } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      api<{ tools: ToolHit[]; total_tools: number }>(`/tools?limit=50&q=${encodeURIComponent(query)}`)
        .then((r) => {
          if (stale) return;
          setResult(r);
          setError(undefined);
        })
        .catch((e: unknown) => {
          if (!stale) setError(e instanceof ApiError ? e.message : String(e));
        });
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [query]);

  return (
    <>
      <h1>Tools</h1>
      <div class="toolbar">
        <label for="tool-search">Search tools</label>
        <input
          id="tool-search"
          type="search"
          value={query}
          placeholder="e.g. weather forecast"
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <span class="muted" aria-live="polite">
          {result ? `${result.tools.length} shown of ${result.total_tools} tools` : ""}
        </span>
      </div>
      {error !== undefined && (
        <p role="alert" class="error-text">
          {error}
        </p>
      )}
      <ol class="tools">
        {result?.tools.map((t) => (
          <li key={t.name} data-tool={t.name}>
            <code class="tool-name">{t.name}</code>{" "}
            <span class="muted">
              {t.kind} · score {t.score}
            </span>
            <p>{t.description}</p>
            <details>
              <summary>Input schema</summary>
              <pre class="cmd">{JSON.stringify(t.inputSchema, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
    </>
  );
}
