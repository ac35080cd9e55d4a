// A small client of a running proxy's REST API (<url>/api/v1), with the
// failures people actually hit turned into one sentence plus the fix.
import { isIP } from "node:net";
import type { McpProxyConfig } from "@mcpproxy/config";
import { parseListen } from "@mcpproxy/server";
import { CliError } from "./errors.ts";

export interface ProxyEndpoint {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  apiKey: string | undefined;
  /** The config file the URL and key came from; undefined when both came from flags. */
  configPath: string | undefined;
}

/** The proxy a config describes: its `listen` (a wildcard host is reached on loopback) and `api_key`. */
export function endpointFromConfig(config: McpProxyConfig, configPath: string): ProxyEndpoint {
  const address = parseListen(config.listen);
  let host = address.host;
  if (host === "0.0.0.0") host = "127.0.0.1";
  if (host === "::") host = "::1";
  return {
    url: `http://${isIP(host) === 6 ? `[${host}]` : host}:${address.port}`,
    apiKey: config.api_key,
    configPath,
  };
}

interface ApiErrorBody {
  error?: { code?: unknown; message?: unknown };
}

export class ApiClient {
  readonly endpoint: ProxyEndpoint;
  private readonly timeoutMs: number;

  constructor(endpoint: ProxyEndpoint, options: { timeoutMs?: number } = {}) {
    this.endpoint = endpoint;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  /** POST, with `body` sent as JSON when given. */
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const url = `${this.endpoint.url}/api/v1${path}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.endpoint.apiKey !== undefined && this.endpoint.apiKey !== "") {
      headers["x-api-key"] = this.endpoint.apiKey;
    }
    let response: Response;
    try {
      if (body !== undefined) headers["content-type"] = "application/json";
      response = await fetch(url, {
        method,
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      if (cause instanceof Error && cause.name === "TimeoutError") {
        throw new CliError(
          "PROXY_API_ERROR",
          `The proxy at ${this.endpoint.url} did not answer ${method} ${path} within ${this.timeoutMs / 1000}s.`,
          { fix: "Check its log (`mcpproxy doctor`), or restart it.", cause },
        );
      }
      const where = this.endpoint.configPath;
      throw new CliError("PROXY_NOT_RUNNING", `No MCPProxy is running at ${this.endpoint.url}.`, {
        fix:
          where === undefined
            ? "Check the --url address, or start a proxy with `mcpproxy serve`."
            : `Start it with \`mcpproxy serve\`, or pass --url if it listens elsewhere than \`listen\` in ${where} says.`,
        cause,
      });
    }
    const text = await response.text();
    let answer: unknown;
    try {
      answer = text === "" ? undefined : JSON.parse(text);
    } catch (cause) {
      throw new CliError(
        "PROXY_API_ERROR",
        `${this.endpoint.url} answered ${method} ${path} with something that is not JSON (HTTP ${response.status}); is it an MCPProxy?`,
        { fix: "Pass --url with the address of the proxy (see `listen` in the config).", cause },
      );
    }
    if (response.ok) return answer as T;
    const error = (answer as ApiErrorBody | undefined)?.error;
    const code = typeof error?.code === "string" ? error.code : `HTTP_${response.status}`;
    const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status}`;
    if (response.status === 401 || code === "UNAUTHORIZED") {
      throw new CliError(
        "PROXY_AUTH_FAILED",
        `The proxy at ${this.endpoint.url} refused the API key: ${message}.`,
        {
          fix:
            this.endpoint.configPath === undefined
              ? "Pass the proxy's key with --api-key (it is `api_key` in the proxy's config)."
              : `Use the proxy's key: set "api_key" in ${this.endpoint.configPath}, or pass --api-key.`,
        },
      );
    }
    if (code === "SERVER_NOT_FOUND") {
      throw new CliError("SERVER_NOT_FOUND", sentence(message), {
        fix: "See the configured names with `mcpproxy servers list`.",
      });
    }
    throw new CliError("PROXY_API_ERROR", sentence(`${method} ${path} failed (${code}): ${message}`), {
      fix: "See `mcpproxy doctor` for the server's state and last log lines.",
    });
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
