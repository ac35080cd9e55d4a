// One server: state, isolation, the masked `docker run` line, the doctor's
// findings (fix, config snippet to copy), actions, and its log.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, serverPath, type Finding, type ServerView } from "./api.ts";
import { CopyButton } from "./copy-button.tsx";
import { CpuGauge, MemoryGauge } from "./gauges.tsx";
import type { LiveState, PullState } from "./live.ts";
import { LogTail } from "./log-tail.tsx";
import { SecurityPanel } from "./security-panel.tsx";
import { StateBadge } from "./servers.tsx";

function DockerRun({ name, containerId }: { name: string; containerId: string | null }) {
  const [command, setCommand] = useState<string | null | undefined>();
  useEffect(() => {
    api<{ command: string | null }>(serverPath(name, "/docker-run"))
      .then((r) => setCommand(r.command))
      .catch(() => setCommand(null));
  }, [name, containerId]);
  if (command === undefined) return null;
  return (
    <section aria-labelledby="run-title">
      <h2 id="run-title">docker run</h2>
      {command === null ? (
        <p class="muted">No container (the server runs on the host, or has not started one).</p>
      ) : (
        <>
          <pre class="cmd">{command}</pre>
          <CopyButton text={command} label="Copy the docker run command" />
        </>
      )}
    </section>
  );
}

function FindingCard({ finding }: { finding: Finding }) {
  const snippet = finding.configSnippet ? JSON.stringify(finding.configSnippet, null, 2) : undefined;
  return (
    <article class="finding" data-code={finding.code}>
      <h3>{finding.title}</h3>
      <p>
        <strong>Fix:</strong> {finding.fix}
      </p>
      {snippet !== undefined && (
        <>
          <p>Merge into mcp_config.json:</p>
          <pre class="cmd">{snippet}</pre>
          <CopyButton text={snippet} label={`Copy the config snippet for ${finding.code}`} />
        </>
      )}
      {finding.evidence.length > 0 && (
        <details>
          <summary>Evidence</summary>
          <pre class="cmd">{finding.evidence.join("\n")}</pre>
        </details>
      )}
    </article>
  );
}

function pullText(pull: PullState | undefined): string | undefined {
  if (!pull) return undefined;
  const layers = Object.values(pull.layers);
  const current = layers.reduce((sum, l) => sum + (l.current ?? 0), 0);
  const total = layers.reduce((sum, l) => sum + (l.total ?? 0), 0);
  const pct = total > 0 ? ` ${Math.round((current / total) * 100)}%` : "";
  return `Pull of ${pull.image}: ${pull.status}${pct}`;
}

function Actions({ view, pull }: { view: ServerView; pull: PullState | undefined }) {
  const [busy, setBusy] = useState<string | undefined>();
  const [message, setMessage] = useState<{ error: boolean; text: string } | undefined>();
  const run = async (action: "restart" | "enable" | "disable" | "pull", done: string) => {
    setBusy(action);
    setMessage(undefined);
    try {
      await api(serverPath(view.name, `/${action}`), { method: "POST" });
      setMessage({ error: false, text: done });
    } catch (e) {
      setMessage({ error: true, text: e instanceof ApiError ? `${e.code}: ${e.message}` : String(e) });
    } finally {
      setBusy(undefined);
    }
  };
  const progress = pullText(pull);
  return (
    <div class="toolbar" aria-busy={busy !== undefined}>
      <button
        type="button"
        disabled={busy !== undefined || !view.enabled}
        onClick={() => void run("restart", "Restarted.")}
      >
        {busy === "restart" ? "Restarting…" : "Restart"}
      </button>
      {view.enabled ? (
        <button type="button" disabled={busy !== undefined} onClick={() => void run("disable", "Disabled.")}>
          Disable
        </button>
      ) : (
        <button type="button" disabled={busy !== undefined} onClick={() => void run("enable", "Enabled.")}>
          Enable
        </button>
      )}
      {view.isolation.enabled && (
        <button type="button" disabled={busy !== undefined} onClick={() => void run("pull", "Image pulled.")}>
          {busy === "pull" ? "Pulling…" : "Pull image"}
        </button>
      )}
      <span role="status" class={message?.error === true ? "error-text" : "muted"}>
        {message?.text ?? (busy === "pull" ? progress : "")}
      </span>
    </div>
  );
}

export function ServerPage({ name, live }: { name: string; live: LiveState }) {
  const view = live.servers.find((s) => s.name === name);
  if (!view) {
    return (
      <>
        <h1>{name}</h1>
        <p role={live.connection === "live" ? "alert" : "status"}>
          {live.connection === "live" ? `No server named "${name}" in the config.` : "Loading…"}
        </p>
        <a href="#/">All servers</a>
      </>
    );
  }
  const iso = view.isolation;
  const resources = live.stats[view.name] ?? null;
  return (
    <>
      <p>
        <a href="#/">← All servers</a>
      </p>
      <h1>
        {view.name} <StateBadge view={view} />
      </h1>
      <p class="state-detail" aria-live="polite">
        {view.state_detail}
      </p>
      <Actions view={view} pull={live.pulls[view.name]} />
      <SecurityPanel name={view.name} stamp={`${view.state}/${view.tool_count}`} />
      <dl class="facts">
        <dt>Command</dt>
        <dd>
          <code>{view.command}</code>
        </dd>
        <dt>Isolation</dt>
        <dd>{iso.enabled ? `${iso.image ?? "?"} (${iso.detail})` : `host: ${iso.detail}`}</dd>
        <dt>Memory / CPU limits</dt>
        <dd>{iso.enabled ? `${iso.memory_limit ?? "no limit"} / ${iso.cpu_limit ?? "no limit"}` : "—"}</dd>
        <dt>Memory in use</dt>
        <dd>
          <MemoryGauge view={view} resources={resources} />
        </dd>
        <dt>CPU in use</dt>
        <dd>
          <CpuGauge view={view} resources={resources} />
        </dd>
        <dt>Network</dt>
        <dd>{iso.network_mode ?? "—"}</dd>
        <dt>Container</dt>
        <dd>
          <code>{iso.container_id ?? "—"}</code> {iso.container_name ?? ""}
        </dd>
        <dt>Tools</dt>
        <dd>{view.tool_count}</dd>
        <dt>Restarts</dt>
        <dd>{view.restarts}</dd>
        <dt>Last exit</dt>
        <dd>{view.last_exit ? `${view.last_exit.reason} (${view.last_exit.at})` : "—"}</dd>
      </dl>
      <section aria-labelledby="findings-title">
        <h2 id="findings-title">Doctor findings</h2>
        {view.findings.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          view.findings.map((f) => <FindingCard key={f.code} finding={f} />)
        )}
      </section>
      <DockerRun name={view.name} containerId={iso.container_id} />
      <LogTail name={view.name} />
    </>
  );
}
