// Whether and how one server is prepared: the rule the server app (at serve)
// and the CLI (`images prepare`, `isolation show`) share.
import type { IsolationResolution, ServerConfig } from "@mcpproxy/config";
import { resolveImage } from "@mcpproxy/runtime-detect";
import { parseRunnerCommand } from "./parse.ts";
import type { PackageSpec } from "./spec.ts";

export type PreparePlan =
  | {
      ok: true;
      spec: PackageSpec;
      /** The runtime image the build starts FROM, as the server would run without prepare. */
      baseImage: string;
    }
  | { ok: false; reason: string };

/** The runtime image of a server's command under its isolation settings (runtime-detect's rule). */
export function runtimeImageOf(
  server: ServerConfig,
  isolation: IsolationResolution & { enabled: true },
): string {
  return resolveImage(server.command, {
    image: isolation.image,
    default_images: isolation.default_images,
    registry: isolation.registry,
  }).image;
}

/** The package and base image of a server's prepared image, or why it has none. */
export function planPrepare(server: ServerConfig, isolation: IsolationResolution): PreparePlan {
  if (!isolation.enabled)
    return { ok: false, reason: `not isolated (${isolation.detail}): prepared images are for containers` };
  const parsed = parseRunnerCommand(server.command, server.args);
  if (!parsed.ok) return { ok: false, reason: parsed.reason.message };
  return { ok: true, spec: parsed.spec, baseImage: runtimeImageOf(server, isolation) };
}
