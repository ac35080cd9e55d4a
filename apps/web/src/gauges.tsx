// Memory and CPU of a running isolated server against its limits, from the
// engine's stats samples (`stats` events). Honest about what is not known: a
// host server has no container stats, a stopped one no sample, a fresh one no
// sample yet, and a server without a limit gets no gauge (the engine then
// reports the host's memory as the "limit": a gauge against it would mislead).
import type { Resources, ServerView } from "./api.ts";

const MiB = 1024 * 1024;

/** "45.2 MiB" (the CLI's MEM column uses the same unit). */
export function mebibytes(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

const pct = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} %`;

/** Why there is no sample to show, or undefined when there may be one. */
export function noSampleReason(view: ServerView, resources: Resources | null): string | undefined {
  if (!view.isolation.enabled) return "host: no container stats";
  if (view.state !== "ready") return "not running";
  if (resources === null) return "no sample yet";
  return undefined;
}

interface GaugeProps {
  view: ServerView;
  resources: Resources | null;
}

export function MemoryGauge({ view, resources }: GaugeProps) {
  const reason = noSampleReason(view, resources);
  if (reason !== undefined || resources === null) return <span class="muted">{reason}</span>;
  const { used_bytes: used, limit_bytes: limit } = resources.memory;
  const configured = view.isolation.memory_limit;
  if (configured === null) return <span>{mebibytes(used)} (no limit)</span>;
  const text = `${mebibytes(used)} of ${configured} (${pct(resources.memory.percent)})`;
  return (
    <span class="gauge" data-sample-at={resources.at}>
      <meter
        min={0}
        max={limit}
        value={used}
        low={limit * 0.75}
        high={limit * 0.9}
        optimum={0}
        aria-label={`Memory of ${view.name}`}
        aria-valuetext={text}
      />
      <span>{text}</span>
    </span>
  );
}

export function CpuGauge({ view, resources }: GaugeProps) {
  const reason = noSampleReason(view, resources);
  if (reason !== undefined || resources === null) return <span class="muted">{reason}</span>;
  const { percent, limit_cpus: cpus, percent_of_limit: ofLimit } = resources.cpu;
  if (cpus === null || ofLimit === null) return <span>{pct(percent)} of a CPU (no limit)</span>;
  const text = `${pct(ofLimit)} of ${cpus} CPU`;
  return (
    <span class="gauge" data-sample-at={resources.at}>
      <meter
        min={0}
        max={100}
        value={Math.min(ofLimit, 100)}
        low={75}
        high={90}
        optimum={0}
        aria-label={`CPU of ${view.name}`}
        aria-valuetext={text}
      />
      <span>{text}</span>
    </span>
  );
}
