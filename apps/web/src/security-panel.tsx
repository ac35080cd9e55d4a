// A server's trust on its page: quarantined or trusted, each withheld tool with
// its description, input schema, the scanner's findings and the diff against
// what was approved — what a person reviews — and the Approve / Quarantine buttons.
import type { ReviewedTool, ServerReview } from "@mcpproxy/server";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, serverPath } from "./api.ts";

function WithheldTool({
  tool,
  onApprove,
  busy,
}: {
  tool: ReviewedTool;
  onApprove: () => void;
  busy: boolean;
}) {
  return (
    <article class="finding" data-tool={tool.name}>
      <h3>
        {tool.name}{" "}
        <span class="muted">
          ({tool.reason}, {tool.kind})
        </span>
      </h3>
      {tool.description !== null && <pre class="cmd">{tool.description}</pre>}
      {tool.findings.length > 0 && (
        <ul>
          {tool.findings.map((f) => (
            <li key={`${f.code}-${f.span.field}-${f.span.start}`}>
              <strong>{f.severity}</strong> {f.code}: {f.message} <code>{f.span.excerpt}</code>
            </li>
          ))}
        </ul>
      )}
      {tool.diff !== null && (
        <>
          <p>Changed since approval:</p>
          <pre class="cmd">{tool.diff}</pre>
        </>
      )}
      {tool.inputSchema !== null && (
        <details>
          <summary>Input schema</summary>
          <pre class="cmd">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
        </details>
      )}
      {tool.reason !== "quarantined" && (
        <button type="button" disabled={busy} onClick={onApprove}>
          Approve {tool.name}
        </button>
      )}
    </article>
  );
}

/** `stamp` changes when the server's state or tools change, so the review is fetched again. */
export function SecurityPanel({ name, stamp }: { name: string; stamp: string }) {
  const [review, setReview] = useState<ServerReview | undefined>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | undefined>();
  useEffect(() => {
    api<ServerReview>(serverPath(name, "/security"))
      .then(setReview)
      .catch(() => setReview(undefined));
  }, [name, stamp]);
  if (!review) return null;

  const act = async (verb: "approve" | "quarantine", body: unknown, done: string) => {
    setBusy(true);
    setMessage(undefined);
    try {
      setReview(await api<ServerReview>(serverPath(name, `/${verb}`), { method: "POST", body }));
      setMessage({ error: false, text: done });
    } catch (e) {
      setMessage({ error: true, text: e instanceof ApiError ? `${e.code}: ${e.message}` : String(e) });
    } finally {
      setBusy(false);
    }
  };
  const withheld = review.tools.filter((t) => t.status === "withheld");
  return (
    <section aria-labelledby="trust-title">
      <h2 id="trust-title">Trust</h2>
      <p data-trust={review.trust}>
        <strong>{review.trust === "trusted" ? "Trusted" : "Quarantined"}</strong>
        {review.trust_reason === null ? "" : ` (${review.trust_reason})`}: {review.offered} tool(s) offered,{" "}
        {review.withheld} withheld.
      </p>
      <div class="toolbar" aria-busy={busy}>
        {(review.trust === "quarantined" || withheld.length > 0) && (
          <button
            type="button"
            disabled={busy || !review.tools_listed}
            onClick={() => void act("approve", {}, "Approved.")}
          >
            Approve
          </button>
        )}
        {review.trust === "trusted" && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void act("quarantine", { reason: "quarantined from the dashboard" }, "Quarantined.")
            }
          >
            Quarantine
          </button>
        )}
        <span role="status" class={message?.error === true ? "error-text" : "muted"}>
          {message?.text ?? ""}
        </span>
      </div>
      {withheld.map((tool) => (
        <WithheldTool
          key={tool.name}
          tool={tool}
          busy={busy}
          onApprove={() => void act("approve", { tools: [tool.name] }, `Approved ${tool.name}.`)}
        />
      ))}
    </section>
  );
}
