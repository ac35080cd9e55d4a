// Every server, live: state, isolation, container, tools, restarts, and the
// last problem with its fix, memory and CPU against the limits. A row renders
// again only when its own view or sample changed: with 50 servers an event
// about one of them re-renders one row, not fifty.
import { Component } from "preact";
import type { Resources, ServerView } from "./api.ts";
import { CpuGauge, MemoryGauge } from "./gauges.tsx";
import type { LiveState } from "./live.ts";

export function StateBadge({ view }: { view: ServerView }) {
  return (
    <span class={`state state-${view.state}`} title={view.state_detail}>
      {view.state}
    </span>
  );
}

export function isolationText(view: ServerView): string {
  const iso = view.isolation;
  if (!iso.enabled) return "host (not isolated)";
  const limits = [iso.memory_limit && `mem ${iso.memory_limit}`, iso.cpu_limit && `cpu ${iso.cpu_limit}`]
    .filter(Boolean)
    .join(", ");
  return [iso.image ?? "?", limits, iso.network_mode && `net ${iso.network_mode}`]
    .filter(Boolean)
    .join(" · ");
}

export function lastProblem(view: ServerView): { text: string; fix?: string } | undefined {
  const finding = view.findings[0];
  if (finding) return { text: finding.title, fix: finding.fix };
  if (view.last_error) return { text: view.last_error.message };
  if (view.last_exit && view.state !== "ready") return { text: view.last_exit.reason };
  return undefined;
}

interface RowProps {
  view: ServerView;
  resources: Resources | null;
}

class Row extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return next.view !== this.props.view || next.resources !== this.props.resources;
  }
  override render() {
    return <RowCells {...this.props} />;
  }
}

function RowCells({ view, resources }: RowProps) {
  const problem = lastProblem(view);
  const id = view.isolation.container_id;
  return (
    <tr data-server={view.name}>
      <th scope="row">
        <a href={`#/servers/${encodeURIComponent(view.name)}`}>{view.name}</a>
      </th>
      <td>
        <StateBadge view={view} />
      </td>
      <td>{isolationText(view)}</td>
      <td>
        <code class="cid">{id === null ? "—" : id.slice(0, 12)}</code>
      </td>
      <td class="num">{view.tool_count}</td>
      <td class="num">{view.restarts}</td>
      <td>
        <MemoryGauge view={view} resources={resources} />
      </td>
      <td>
        <CpuGauge view={view} resources={resources} />
      </td>
      <td class="problem">
        {problem === undefined ? (
          <span class="muted">none</span>
        ) : (
          <>
            <span>{problem.text}</span>
            {problem.fix !== undefined && <span class="fix">Fix: {problem.fix}</span>}
          </>
        )}
      </td>
    </tr>
  );
}

export function ServerList({ live }: { live: LiveState }) {
  const ready = live.servers.filter((s) => s.state === "ready").length;
  return (
    <>
      <h1>Servers</h1>
      <p class="muted" aria-live="polite">
        {live.servers.length} servers, {ready} ready
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Isolation</th>
              <th scope="col">Container</th>
              <th scope="col">Tools</th>
              <th scope="col">Restarts</th>
              <th scope="col">Memory</th>
              <th scope="col">CPU</th>
              <th scope="col">Last problem</th>
            </tr>
          </thead>
          <tbody>
            {live.servers.map((view) => (
              <Row key={view.name} view={view} resources={live.stats[view.name] ?? null} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
