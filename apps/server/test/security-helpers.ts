// Helpers of the security tests: the described-upstream fixture (tools from a
// JSON file), POSTs with a JSON body, and the retrieve-mode calls.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { callTool, textOf } from "./helpers.ts";

export const describedUpstream = fileURLToPath(new URL("./fixtures/described-upstream.ts", import.meta.url));
export const fixturesDir = fileURLToPath(new URL("./fixtures/", import.meta.url));

export interface FixtureTool {
  name: string;
  description: string;
  inputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  fails?: boolean;
}

export function writeTools(file: string, tools: FixtureTool[]): Promise<void> {
  return writeFile(file, JSON.stringify(tools, null, 2));
}

/** A non-isolated described-upstream server reading its tools from `toolsFile`. */
export function describedServer(
  name: string,
  toolsFile: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    command: process.execPath,
    args: [describedUpstream, toolsFile],
    isolation: { enabled: false },
    ...extra,
  };
}

export async function post<T = Record<string, unknown>>(
  baseUrl: string,
  route: string,
  apiKey: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(`/api/v1${route}`, baseUrl), {
    method: "POST",
    headers: { "x-api-key": apiKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export interface RetrievedJson {
  tools: { name: string; server: string; tool: string; kind: string }[];
}

/** Every tool retrieve_tools offers of one server. */
export async function retrieved(client: Client, server: string): Promise<RetrievedJson["tools"]> {
  const result = await callTool(client, "retrieve_tools", { query: "", limit: 100 });
  return (JSON.parse(textOf(result)) as RetrievedJson).tools.filter((t) => t.server === server);
}

export function callVia(client: Client, server: string, tool: string, args: Record<string, unknown> = {}) {
  return callTool(client, "call_tool", { name: `${server}:${tool}`, args });
}

export interface ReviewJson {
  name: string;
  trust: "trusted" | "quarantined";
  offered: number;
  withheld: number;
  tools: {
    name: string;
    status: string;
    reason: string | null;
    kind: string;
    description: string | null;
    findings: { code: string; severity: string }[];
    diff: string | null;
  }[];
}

export interface ActivityJson {
  entries: {
    server: string;
    tool: string;
    outcome: string;
    session?: string;
    argumentKeys: string[];
    argumentValues?: Record<string, unknown>;
  }[];
}
