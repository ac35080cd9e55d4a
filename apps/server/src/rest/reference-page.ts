// GET /api/v1/docs: a self-contained HTML reference of the OpenAPI document
// (no scripts, no CDN: it works air-gapped and under a strict CSP).

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function schemaName(schema: unknown): string {
  if (schema && typeof schema === "object") {
    const ref = (schema as { $ref?: unknown }).$ref;
    if (typeof ref === "string") return ref.replace("#/components/schemas/", "");
    const type = (schema as { type?: unknown }).type;
    if (typeof type === "string") return type;
  }
  return "JSON";
}

function operationHtml(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required === true ? ", required" : ""})` +
        `${p.description ? ` — ${escapeHtml(p.description)}` : ""}</li>`,
    )
    .join("");
  const body = op.requestBody?.content
    ? Object.entries(op.requestBody.content)
        .map(
          ([type, c]) => `<p>Body: <code>${escapeHtml(type)}</code> ${escapeHtml(schemaName(c.schema))}</p>`,
        )
        .join("")
    : "";
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const types = Object.entries(r.content ?? {})
        .map(([type, c]) => `<code>${escapeHtml(type)}</code> ${escapeHtml(schemaName(c.schema))}`)
        .join(", ");
      return `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(r.description ?? "")}${types ? ` — ${types}` : ""}</li>`;
    })
    .join("");
  const auth = op.security && op.security.length > 0 ? "API key or dashboard session" : "no key needed";
  return (
    `<section><h2><span class="m">${method.toUpperCase()}</span> <code>/api/v1${escapeHtml(path)}</code></h2>` +
    `<p>${escapeHtml(op.summary ?? "")} <em>(${auth})</em></p>` +
    (params ? `<h3>Parameters</h3><ul>${params}</ul>` : "") +
    body +
    `<h3>Responses</h3><ul>${responses}</ul></section>`
  );
}

export function referencePage(document: { paths?: unknown; info?: { title?: string } }): string {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  const sections = Object.entries(paths)
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => operationHtml(method, path, op)))
    .join("\n");
  const title = escapeHtml(document.info?.title ?? "REST API");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1.05rem}.m{background:#234;color:#fff;padding:0 .4rem;border-radius:3px}
code{background:#f3f3f3;padding:0 .2rem}</style></head>
<body><main><h1>${title}</h1>
<p>The machine-readable document: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1). Send the API key as
<code>X-API-Key</code> or <code>Authorization: Bearer</code>. Errors are <code>{"error":{"code","message"}}</code>.</p>
${sections}
</main></body></html>`;
}
