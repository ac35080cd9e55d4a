// A container's state as the engine reports it (`docker inspect` / GET /containers/{id}/json).
/** A container's state as `docker inspect` reports it. */
export interface ContainerInfo {
  id: string;
  /** Without the leading `/`. */
  name: string;
  image: string;
  /** "created", "running", "exited", "dead", ... */
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  /** State.Error, e.g. an exec failure; undefined when empty. */
  error: string | undefined;
  /** Undefined when the container never started. */
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  labels: Record<string, string>;
}

function dockerDate(value: unknown): Date | undefined {
  if (typeof value !== "string" || value.startsWith("0001-")) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

export function parseContainerInfo(raw: unknown): ContainerInfo {
  const top = record(raw);
  const state = record(top["State"]);
  const config = record(top["Config"]);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(config["Labels"]))) {
    if (typeof value === "string") labels[key] = value;
  }
  const error = typeof state["Error"] === "string" && state["Error"] !== "" ? state["Error"] : undefined;
  return {
    id: text(top["Id"]),
    name: text(top["Name"]).replace(/^\//, ""),
    image: text(config["Image"]),
    status: text(state["Status"], "unknown"),
    running: state["Running"] === true,
    exitCode: typeof state["ExitCode"] === "number" ? state["ExitCode"] : -1,
    oomKilled: state["OOMKilled"] === true,
    error,
    startedAt: dockerDate(state["StartedAt"]),
    finishedAt: dockerDate(state["FinishedAt"]),
    labels,
  };
}
