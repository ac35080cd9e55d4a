// The dashboard's only way to the proxy: the public REST API under /api/v1,
// with the session cookie (sent by the browser, unreadable to scripts) and the
// session's CSRF token on every change.
import type { ServerView } from "@mcpproxy/server";

export type { ServerView };

export interface Session {
  authenticated: boolean;
  key_required: boolean;
  csrf_token: string | null;
}

export type Finding = ServerView["findings"][number];

/** A running isolated server's resource sample (memory and CPU against the limits). */
export type Resources = NonNullable<ServerView["resources"]>;

export interface ToolHit {
  name: string;
  server: string;
  tool: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** From the tool's annotations: read-only, write, destructive or unknown. */
  kind: string;
  score: number;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | null = null;

export async function api<T>(
  path: string,
  options: { method?: "GET" | "POST" | "DELETE"; body?: unknown } = {},
): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken !== null) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, "UNREACHABLE", "The proxy does not answer (is mcpproxy still running?)");
  }
  const body = (await response.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string } } | undefined;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body?.error?.code ?? `HTTP_${response.status}`,
      body?.error?.message ?? response.statusText,
    );
  }
  return body as T;
}

export async function loadSession(): Promise<Session> {
  const session = await api<Session>("/session");
  csrfToken = session.csrf_token;
  return session;
}

export async function login(apiKey: string): Promise<Session> {
  const session = await api<Session>("/session", { method: "POST", body: { api_key: apiKey } });
  csrfToken = session.csrf_token;
  return session;
}

export async function logout(): Promise<Session> {
  const session = await api<Session>("/session", { method: "DELETE" });
  csrfToken = null;
  return session;
}

export const serverPath = (name: string, rest = ""): string => `/servers/${encodeURIComponent(name)}${rest}`;
