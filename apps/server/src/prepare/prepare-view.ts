// The prepare parts of a server's REST view: build progress while `preparing`,
// the pin of its prepared image, and a failed prepare's installer lines and fix.
import type { PrepareProgress, ServerHandle } from "@mcpproxy/lifecycle";
import { PrepareError } from "@mcpproxy/prepare";
import type { PreparedView, PrepareView } from "../server-view.ts";
import { PreparedServerHandle } from "./prepared-handle.ts";

export function prepareView(handle: ServerHandle | undefined): PrepareView | null {
  if (!(handle instanceof PreparedServerHandle)) return null;
  const status = handle.prepareStatus;
  if (status === undefined) return null;
  return {
    image: status.tag,
    started_at: status.startedAt.toISOString(),
    phase: status.phase,
    step: status.step ?? null,
    total_steps: status.totalSteps ?? null,
    message: status.message,
  };
}

export function preparedView(handle: ServerHandle | undefined): PreparedView | null {
  if (!(handle instanceof PreparedServerHandle)) return null;
  const image = handle.preparedImage;
  if (image === undefined) return null;
  return {
    image: image.tag,
    image_id: image.imageId,
    package: image.labels.package.name,
    version: image.labels.package.version,
    integrity: image.labels.package.integrity,
    runner: image.labels.runner,
    packages: image.labels.packages,
  };
}

/** `installer_lines` and `fix` of a PrepareError (nothing for other errors). */
export function prepareErrorFields(error: Error): { installer_lines?: string[]; fix?: string } {
  if (!(error instanceof PrepareError)) return {};
  return {
    ...(error.installerLines.length > 0 ? { installer_lines: [...error.installerLines] } : {}),
    ...(error.fix === undefined ? {} : { fix: error.fix }),
  };
}

/** A failed prepare in one line: the message (with the installer's lines) and the fix. */
export function describePrepareFailure(error: Error | undefined): string | undefined {
  if (!(error instanceof PrepareError)) return undefined;
  const said = error.message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" | ");
  return error.fix === undefined ? said : `${said}. Fix: ${error.fix}`;
}

/** "preparing mcpproxy-prepared/x:hash (step 3/9): RUN npm install …" */
export function describePreparing(handle: ServerHandle | undefined): string | undefined {
  if (!(handle instanceof PreparedServerHandle)) return undefined;
  const status = handle.prepareStatus;
  if (status === undefined) return undefined;
  const step = status.step === undefined ? "" : ` (step ${status.step}/${status.totalSteps ?? "?"})`;
  return `preparing ${status.tag}${step}: ${status.message}`;
}

/** Subscribes to a prepared server's build progress (a no-op for other handles). Returns the unsubscribe. */
export function onPrepareProgress(
  handle: ServerHandle,
  listener: (progress: PrepareProgress) => void,
): () => void {
  return handle instanceof PreparedServerHandle ? handle.onPrepare(listener) : () => undefined;
}
