// Config advice, not a failure: a server started through a package runner
// (npx, uvx, pipx…) without prepare downloads and installs its package in a
// fresh container at every start (needs the network, seconds per start, and
// whatever version the registry serves that minute). The finding says so and
// gives the `prepare` snippet; for uvx/pipx it also says why the start wrapper
// needs the network (it installs the launcher itself first).
import {
  resolvePrepare,
  type McpProxyConfig,
  type ServerConfig,
  type IsolationResolution,
} from "@mcpproxy/config";
import { launcherInstallExplanation, launcherOf, planPrepare } from "@mcpproxy/prepare";
import type { Finding } from "./findings.ts";

/** The "package downloaded on every start" finding, or undefined when prepare is on or cannot apply. */
export function prepareAdvice(
  config: McpProxyConfig,
  server: ServerConfig,
  isolation: IsolationResolution,
): Finding | undefined {
  if (!isolation.enabled || resolvePrepare(config, server)) return undefined;
  const plan = planPrepare(server, isolation);
  if (!plan.ok) return undefined;
  const pkg = plan.spec.package.raw;
  const evidence = [
    `${server.command} ${server.args.join(" ")}`.trim(),
    `package: ${pkg} (${plan.spec.runner})`,
  ];
  const launcher = launcherOf(server.command);
  if (launcher !== undefined) evidence.push(launcherInstallExplanation(launcher, plan.baseImage));
  return {
    code: "package-downloaded-every-start",
    title: `Package downloaded on every start: ${plan.spec.runner} installs ${pkg} in each new container`,
    evidence,
    fix:
      `Turn on prepare for this server: MCPProxy then installs ${pkg} once into a local image FROM ${plan.baseImage}, ` +
      `pinned to the exact version resolved now, and every start runs it directly, offline if you like ` +
      `(network_mode "none"). \`mcpproxy images prepare ${server.name}\` builds it ahead of time; ` +
      `\`mcpproxy images prepare ${server.name} --update\` moves the pin later.`,
    configSnippet: { mcpServers: [{ name: server.name, isolation: { prepare: true } }] },
  };
}
