// The upstream registry as clients see it once @mcpproxy/security has judged it:
// quarantined servers offer nothing, changed/new/poisoned tools of trusted servers
// are withheld until approved, the per-server call policy applies, and every call
// (refusals included) goes into the activity log. Wraps upstreams.ts unchanged.
import type { McpProxyConfig } from "@mcpproxy/config";
import type { LogManager } from "@mcpproxy/diagnostics";
import {
  approveDefinitions,
  checkCallPolicy,
  evaluateServerTools,
  SecurityError,
  summarizeCall,
  withheldMessage,
  type ActivityEntry,
  type ActivityFilter,
  type CallOutcome,
  type Evaluation,
  type SecurityStore,
  type ToolDefinition,
} from "@mcpproxy/security";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { errorMessage, ProxyError } from "../errors.ts";
import type { UpstreamTool } from "../tool-index.ts";
import type { ManagedUpstreams } from "../upstreams.ts";
import type { CallOptions, UpstreamEntry } from "../upstream-types.ts";
import { reviewOf, type ServerReview } from "./review.ts";
import { syncTrust } from "./trust-sync.ts";

export interface SecuredUpstreamsOptions {
  inner: ManagedUpstreams;
  store: SecurityStore;
  logs: LogManager;
  /** Called after a server's trust or offered tools changed (for the event bus). */
  onReviewChanged?: (review: ServerReview) => void;
}

export interface SecuredUpstreams extends ManagedUpstreams {
  /** What a person reviews before approving: trust, tools, diffs, findings. */
  review(name: string): ServerReview;
  /** Approves every tool the server lists now (or only `tools`) and trusts the server. */
  approve(name: string, by: string, tools?: readonly string[]): ServerReview;
  /** Quarantines the server: it keeps running, its tools are withheld. */
  quarantine(name: string, by: string, reason?: string): ServerReview;
  activity(filter: ActivityFilter): ActivityEntry[];
}

/** States in which a server has not listed its tools yet but will. */
const STARTING_STATES = new Set<string>(["starting", "pulling", "restarting"]);

interface Judged {
  tools: readonly Tool[];
  evaluation: Evaluation<ToolDefinition>;
  withheldSignature: string;
}

function outcomeOf(error: unknown, signal: AbortSignal | undefined): CallOutcome {
  if (signal?.aborted === true) return "cancelled";
  return error instanceof ProxyError && error.code === "UPSTREAM_TIMEOUT" ? "timeout" : "error";
}

function resultText(result: CallToolResult): string | undefined {
  if (result.isError !== true) return undefined;
  const first = result.content.find((part) => part.type === "text");
  return first?.type === "text" ? first.text : "the tool answered with isError";
}

export function createSecuredUpstreams(options: SecuredUpstreamsOptions): SecuredUpstreams {
  const { inner, store, logs } = options;
  const judged = new Map<string, Judged>();
  const listeners = new Set<() => void>();
  let offeredSignature = "";
  let firstApply = true;

  function trustOf(name: string) {
    return store.getServer(name) ?? store.ensureServer(name, "quarantined", "proxy", "unknown to the store");
  }

  function judge(entry: UpstreamEntry, others: { server: string; name: string }[]): Judged {
    const trust = trustOf(entry.name);
    const evaluation = evaluateServerTools({
      server: entry.name,
      trust: trust.trust,
      baseline: store.getBaseline(entry.name, "tool"),
      definitions: entry.tools,
      otherServersTools: others.filter((o) => o.server !== entry.name),
    });
    if (evaluation.pin.length > 0) store.recordBaseline(entry.name, evaluation.pin, { by: "first-use" });
    const withheldSignature = evaluation.withheld
      .map((w) => `${w.key}:${w.reason}:${evaluation.fingerprints[w.key]?.hash ?? ""}`)
      .join("|");
    const previous = judged.get(entry.name);
    if (withheldSignature !== "" && previous?.withheldSignature !== withheldSignature) {
      for (const w of evaluation.withheld) {
        const fields = {
          server: entry.name,
          tool: w.key,
          reason: w.reason,
          findings: w.findings.map((f) => `${f.severity} ${f.code}`),
          diff: w.diff?.summary,
        };
        logs.main.warn(fields, `server ${entry.name}: tool ${w.key} withheld (${w.reason})`);
      }
    }
    return { tools: entry.tools, evaluation, withheldSignature };
  }

  /** Re-judges the servers whose tool list changed (all of them when `force`). */
  function judgeAll(force = false): Map<string, Judged> {
    const entries = inner.list();
    // Every server's tools, built only when one server is judged anew (not on every call).
    let others: { server: string; name: string }[] | undefined;
    const changed: string[] = [];
    for (const entry of entries) {
      const previous = judged.get(entry.name);
      if (!force && previous?.tools === entry.tools) continue;
      others ??= entries.flatMap((e) => e.tools.map((t) => ({ server: e.name, name: t.name })));
      judged.set(entry.name, judge(entry, others));
      changed.push(entry.name);
    }
    // Every entry is judged now, so more judgements than entries means some server left.
    if (judged.size > entries.length) {
      const names = new Set(entries.map((e) => e.name));
      for (const name of judged.keys()) if (!names.has(name)) judged.delete(name);
    }
    for (const name of changed) options.onReviewChanged?.(reviewNow(name));
    return judged;
  }

  function offeredTools(): UpstreamTool[] {
    const out: UpstreamTool[] = [];
    for (const [server, entry] of [...judgeAll()].sort(([a], [b]) => a.localeCompare(b))) {
      const offered = new Set(entry.evaluation.offered.map((t) => t.name));
      for (const tool of [...entry.tools].sort((a, b) => a.name.localeCompare(b.name))) {
        if (offered.has(tool.name)) out.push({ server, tool });
      }
    }
    return out;
  }

  function notifyIfChanged(): void {
    const signature = JSON.stringify(offeredTools());
    if (signature === offeredSignature) return;
    offeredSignature = signature;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        logs.main.error({ err: errorMessage(error) }, "tools-changed listener failed");
      }
    }
  }
  inner.onToolsChanged(notifyIfChanged);

  function entryOf(name: string): UpstreamEntry {
    const entry = inner.get(name);
    if (!entry) throw new ProxyError("SERVER_NOT_FOUND", `no server named "${name}" in the config`);
    return entry;
  }

  function reviewNow(name: string): ServerReview {
    const entry = entryOf(name);
    const current = judged.get(name) ?? judge(entry, []);
    return reviewOf(trustOf(name), current.evaluation, entry.state === "ready" || entry.tools.length > 0);
  }

  /** Why this call may not go through, or undefined. */
  function refusal(server: string, tool: string): ProxyError | undefined {
    const entry = inner.get(server);
    if (!entry) return undefined;
    if (trustOf(server).trust === "quarantined") {
      const message = withheldMessage(server, { key: tool, reason: "quarantined" });
      return new ProxyError("QUARANTINED", message, { server });
    }
    if (entry.toolsListed === false && entry.state === "ready") {
      const message =
        `server "${server}" has not listed its tools (tools/list pending or failed), so none is judged or offered yet; ` +
        `see \`mcpproxy servers logs ${server}\``;
      return new ProxyError("TOOL_WITHHELD", message, { server });
    }
    // Judged anew only when its tool list changed since (the common call needs no pass over every server).
    const previous = judged.get(server);
    const current = previous?.tools === entry.tools ? previous : judgeAll().get(server);
    const withheld = current?.evaluation.withheld.find((w) => w.key === tool);
    if (withheld) return new ProxyError("TOOL_WITHHELD", withheldMessage(server, withheld), { server });
    const definition = entry.tools.find((t) => t.name === tool) ?? { name: tool };
    const policy = checkCallPolicy({ server, allow: entry.config.allow ?? "all" }, definition);
    return policy.allowed ? undefined : new ProxyError("POLICY_REFUSED", policy.message, { server });
  }

  /**
   * A server still starting has listed nothing, so nothing of it is judged yet: wait (within the
   * call's timeout) until it lists its tools or leaves the starting states, so no call goes through unjudged.
   */
  function waitForListing(server: string, callOptions: CallOptions): Promise<void> {
    const entry = inner.get(server);
    const pending = (e: UpstreamEntry | undefined) =>
      e?.toolsListed === false && (e.state === "ready" || STARTING_STATES.has(e.state));
    if (!pending(entry) || !entry?.handle) return Promise.resolve();
    const handle = entry.handle;
    return new Promise((resolve) => {
      const check = () => {
        if (!pending(inner.get(server))) done();
      };
      const done = () => {
        clearTimeout(timer);
        stopListening();
        handle.off("state", check);
        callOptions.signal?.removeEventListener("abort", done);
        resolve();
      };
      const stopListening = inner.onToolsChanged(check);
      const timer = setTimeout(done, callOptions.timeoutMs);
      handle.on("state", check);
      callOptions.signal?.addEventListener("abort", done, { once: true });
    });
  }

  async function callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    callOptions: CallOptions,
  ): Promise<CallToolResult> {
    const started = Date.now();
    const logValues = inner.get(server)?.config.log_argument_values === true;
    const record = (outcome: CallOutcome, result: unknown, error?: string) => {
      try {
        store.recordActivity({
          ...(callOptions.session === undefined ? {} : { session: callOptions.session }),
          server,
          tool,
          durationMs: Date.now() - started,
          outcome,
          ...(error === undefined ? {} : { error }),
          ...summarizeCall({ arguments: args, result, logValues }),
        });
      } catch (failure) {
        logs.main.error({ err: errorMessage(failure), server, tool }, "recording a tool call failed");
      }
    };
    await waitForListing(server, callOptions);
    const refused = refusal(server, tool);
    if (refused) {
      record("refused", undefined, refused.message);
      throw refused;
    }
    try {
      const result = await inner.callTool(server, tool, args, callOptions);
      const problem = resultText(result);
      record(problem === undefined ? "success" : "error", result, problem);
      return result;
    } catch (error) {
      record(outcomeOf(error, callOptions.signal), undefined, errorMessage(error));
      throw error;
    }
  }

  function afterTrustChange(name: string): ServerReview {
    judgeAll(true);
    notifyIfChanged();
    return reviewNow(name);
  }

  return {
    ...inner,
    tools: offeredTools,
    onToolsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    callTool,
    async applyConfig(config: McpProxyConfig) {
      syncTrust(store, inner.list(), config, firstApply, logs);
      firstApply = false;
      const plan = await inner.applyConfig(config);
      judgeAll(true);
      notifyIfChanged();
      return plan;
    },
    review: (name) => {
      judgeAll();
      return reviewNow(name);
    },
    approve(name, by, tools) {
      const entry = entryOf(name);
      if (entry.state !== "ready" && entry.tools.length === 0) {
        throw new ProxyError(
          "UPSTREAM_UNAVAILABLE",
          `server "${name}" has not listed its tools yet (state: ${entry.state}); approve it once it is ready, so that what is approved is what it offers`,
          { server: name },
        );
      }
      let approved;
      try {
        approved = approveDefinitions("tool", entry.tools, tools);
      } catch (error) {
        if (error instanceof SecurityError)
          throw new ProxyError("BAD_REQUEST", error.message, { cause: error });
        throw error;
      }
      store.recordBaseline(name, approved, {
        by,
        replace: tools === undefined ? "tool" : undefined,
        trust: "trusted",
      });
      const what = tools === undefined ? "every tool" : tools.join(", ");
      logs.main.info({ server: name, by, tools: tools ?? null }, `server ${name}: ${what} approved by ${by}`);
      return afterTrustChange(name);
    },
    quarantine(name, by, reason) {
      entryOf(name);
      store.setTrust(name, "quarantined", by, reason);
      logs.main.warn({ server: name, by, reason }, `server ${name} quarantined by ${by}`);
      return afterTrustChange(name);
    },
    activity: (filter) => {
      try {
        return store.queryActivity(filter);
      } catch (error) {
        if (error instanceof SecurityError)
          throw new ProxyError("BAD_REQUEST", error.message, { cause: error });
        throw error;
      }
    },
  };
}
