// Captures the real `tools/list` of published MCP servers (the scanner's negative set).
// Usage: node scripts/capture-tool-lists.ts <dir with node_modules holding the servers>
// The servers run offline on stdio; API keys are dummies because listing tools needs none.
// Left out: server-gitlab@2025.4.25 (its tools/list fails the SDK schema: inputSchema.type is not
// "object"), server-redis@2025.4.25 (exits without a reachable Redis), mcp-server-supabase@0.13.0
// (fetches from the network before listing).
import { readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

interface ServerToCapture {
  pkg: string;
  args?: (scratchDir: string) => string[];
  env?: Record<string, string>;
}

const SERVERS: ServerToCapture[] = [
  { pkg: "@modelcontextprotocol/server-everything", args: () => ["stdio"] },
  { pkg: "@modelcontextprotocol/server-filesystem", args: (dir) => [dir] },
  { pkg: "@modelcontextprotocol/server-memory" },
  { pkg: "@modelcontextprotocol/server-sequential-thinking" },
  { pkg: "@modelcontextprotocol/server-github", env: { GITHUB_PERSONAL_ACCESS_TOKEN: "dummy" } },
  { pkg: "@modelcontextprotocol/server-brave-search", env: { BRAVE_API_KEY: "dummy" } },
  { pkg: "@modelcontextprotocol/server-slack", env: { SLACK_BOT_TOKEN: "dummy", SLACK_TEAM_ID: "T0" } },
  { pkg: "@modelcontextprotocol/server-google-maps", env: { GOOGLE_MAPS_API_KEY: "dummy" } },
  { pkg: "@modelcontextprotocol/server-postgres", args: () => ["postgresql://127.0.0.1:9/none"] },
  { pkg: "@modelcontextprotocol/server-puppeteer" },
  { pkg: "@playwright/mcp", args: () => ["--headless"] },
  { pkg: "@upstash/context7-mcp" },
  { pkg: "@notionhq/notion-mcp-server", env: { NOTION_TOKEN: "dummy" } },
  { pkg: "firecrawl-mcp", env: { FIRECRAWL_API_KEY: "fc-dummy" } },
  { pkg: "tavily-mcp", env: { TAVILY_API_KEY: "dummy" } },
  { pkg: "mcp-server-kubernetes" },
  { pkg: "exa-mcp-server", env: { EXA_API_KEY: "dummy" } },
];

interface PackageJson {
  version: string;
  bin?: string | Record<string, string>;
}

async function binPath(root: string, pkg: string): Promise<{ version: string; bin: string }> {
  const dir = join(root, "node_modules", pkg);
  const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as PackageJson;
  const bin = typeof manifest.bin === "string" ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  if (bin === undefined) throw new Error(`${pkg} has no "bin" in its package.json`);
  return { version: manifest.version, bin: join(dir, bin) };
}

async function capture(root: string, server: ServerToCapture, scratch: string): Promise<void> {
  const { version, bin } = await binPath(root, server.pkg);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, ...(server.args?.(scratch) ?? [])],
    env: { PATH: process.env.PATH ?? "", HOME: scratch, ...server.env },
    stderr: "ignore",
  });
  const client = new Client({ name: "mcpproxy-capture", version: "0.0.0" });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const capabilities = client.getServerCapabilities() ?? {};
    // Listing resources can need the backend (server-postgres reads its tables): keep the tools then.
    const optional = async <T>(list: () => Promise<T[]>, what: string): Promise<T[]> =>
      list().catch((error: unknown) => {
        console.error(`${server.pkg}: ${what} not captured: ${String(error)}`);
        return [];
      });
    const prompts = capabilities.prompts
      ? await optional(async () => (await client.listPrompts()).prompts, "prompts")
      : [];
    const resources = capabilities.resources
      ? await optional(async () => (await client.listResources()).resources, "resources")
      : [];
    const file = `${server.pkg.replace(/^@/, "").replace(/\//g, "__")}@${version}.json`;
    const capturedWith = "tools/list, prompts/list, resources/list over stdio";
    const body = { package: server.pkg, version, capturedWith, tools, prompts, resources };
    await writeFile(
      join(import.meta.dirname, "../test/fixtures/negative", file),
      JSON.stringify(body, null, 2) + "\n",
    );
    console.log(
      `${server.pkg}@${version}: ${tools.length} tools, ${prompts.length} prompts, ${resources.length} resources`,
    );
  } finally {
    await client.close();
  }
}

const root = process.argv[2];
if (root === undefined)
  throw new Error("usage: capture-tool-lists.ts <dir whose node_modules holds the servers>");
const scratch = await mkdtemp(join(tmpdir(), "mcpproxy-capture-"));
try {
  for (const server of SERVERS) {
    try {
      await capture(root, server, scratch);
    } catch (error) {
      console.error(`${server.pkg}: ${String(error)}`);
      process.exitCode = 1;
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
