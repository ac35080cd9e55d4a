// The running proxy's REST endpoint for commands that talk to it: --url and
// --api-key, else `listen` and `api_key` from the config.
import type { Command } from "commander";
import { ApiClient, endpointFromConfig } from "../api-client.ts";
import { globalOptions } from "../command-helpers.ts";
import { loadConfigOrThrow } from "../config-file.ts";
import type { CliContext } from "../io.ts";

export interface EndpointOptions {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

export function withEndpointOptions(command: Command): Command {
  return command
    .option("--url <url>", "the proxy's base URL (default: from `listen` in the config)")
    .option("--api-key <key>", "the proxy's API key (default: `api_key` in the config)");
}

export async function clientFor(
  ctx: CliContext,
  command: Command,
  options: EndpointOptions,
): Promise<ApiClient> {
  const configFlag = globalOptions(command).config;
  const url = options.url?.replace(/\/+$/, "");
  if (url !== undefined && options.apiKey !== undefined) {
    return new ApiClient({ url, apiKey: options.apiKey, configPath: undefined });
  }
  const loaded = await loadConfigOrThrow(ctx, configFlag);
  const endpoint = endpointFromConfig(loaded.config, loaded.path);
  return new ApiClient({
    url: url ?? endpoint.url,
    apiKey: options.apiKey ?? endpoint.apiKey,
    configPath: loaded.path,
  });
}
