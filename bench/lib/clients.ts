// MCP clients of the benchmark: the SDK talking straight to a container's
// stdio (what a user would otherwise configure), and the SDK over Streamable
// HTTP (the proxy's /mcp, or a peer gateway).
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { BenchError, removeContainers } from "./exec.ts";

/** The server command inside the everything image: the same one the proxy's config runs. */
export const EVERYTHING_COMMAND = ["npx", "-y", "@modelcontextprotocol/server-everything", "stdio"];

/**
 * The isolation and servers part of the proxy's config in the bench: `names` everything
 * servers, each in its own container of `image` with network "none" and the default limits.
 * The proxy under test and the Engine API attach baseline (api-attach.ts) both start from it.
 */
export function isolatedEverythingConfig(image: string, names: readonly string[]) {
  const [command = "npx", ...args] = EVERYTHING_COMMAND;
  return {
    docker_isolation: { enabled: true, network_mode: "none", default_images: { npx: image } },
    mcpServers: names.map((name) => ({ name, command, args })),
  };
}

/** `docker run -i --rm` as a user would type it (`flags` added), plus a name so the bench can clean up. */
export function handTypedDockerRun(image: string, name: string, flags: readonly string[] = []): string[] {
  return ["run", "-i", "--rm", "--network", "none", ...flags, "--name", name, image, ...EVERYTHING_COMMAND];
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export interface DirectServer {
  client: Client;
  containerName: string;
  close(): Promise<void>;
}

/** The SDK client on `docker run -i --rm IMAGE …`: resolves once initialize is answered. */
export async function connectDirect(image: string, flags: readonly string[] = []): Promise<DirectServer> {
  const containerName = uniqueName("bench-direct");
  const client = new Client({ name: "mcpproxy-bench", version: "1.0.0" });
  const transport = new StdioClientTransport({
    command: "docker",
    args: handTypedDockerRun(image, containerName, flags),
    stderr: "ignore",
  });
  try {
    await client.connect(transport);
  } catch (error) {
    await removeContainers([containerName]);
    throw error;
  }
  return {
    client,
    containerName,
    async close() {
      await client.close().catch(() => undefined);
      await removeContainers([containerName]);
    },
  };
}

export async function connectHttp(url: string): Promise<Client> {
  const client = new Client({ name: "mcpproxy-bench", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
}

/** One call whose answer is checked: a wrong answer stops the benchmark. */
export type EchoCall = (message: string) => Promise<void>;

/** `echo` called by its own name (a direct stdio client, a peer, or the proxy in direct mode as `<server>__echo`). */
export function echoByName(client: Client, toolName: string): EchoCall {
  return async (message) => {
    const result = (await client.callTool({ name: toolName, arguments: { message } })) as CallToolResult;
    const text = textOf(result);
    if (result.isError === true || !text.includes(`Echo: ${message}`)) {
      throw new BenchError(`${toolName} answered ${JSON.stringify(text.slice(0, 200))}`);
    }
  };
}

/** `echo` through the proxy's retrieve mode: call_tool({ name: "<server>:echo", args }). */
export function echoViaCallTool(client: Client, server: string): EchoCall {
  return async (message) => {
    const result = (await client.callTool({
      name: "call_tool",
      arguments: { name: `${server}:echo`, args: { message } },
    })) as CallToolResult;
    const text = textOf(result);
    if (result.isError === true || !text.includes(`Echo: ${message}`)) {
      throw new BenchError(`call_tool ${server}:echo answered ${JSON.stringify(text.slice(0, 200))}`);
    }
  };
}

/** How long waitForTool waits for a list_changed before it lists again anyway (one missed is not fatal). */
const RELIST_AFTER_MS = 250;

/**
 * Resolves once `toolName` is listed, as an MCP client learns it: tools/list, then
 * again at each notifications/tools/list_changed (the proxy sends one when a
 * server's tools arrive), no polling; a list goes out anyway after 250 ms quiet.
 */
export async function waitForTool(client: Client, toolName: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let changed: () => void = () => undefined;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed());
  try {
    for (;;) {
      const next = new Promise<void>((resolve) => (changed = resolve));
      const { tools } = await client.listTools();
      if (tools.some((t) => t.name === toolName)) return;
      if (Date.now() > deadline) throw new BenchError(`${toolName} was not listed within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([next, new Promise((resolve) => (timer = setTimeout(resolve, RELIST_AFTER_MS)))]);
      clearTimeout(timer);
    }
  } finally {
    client.removeNotificationHandler("notifications/tools/list_changed");
  }
}
