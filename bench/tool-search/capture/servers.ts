// The published MCP servers whose real tool lists make the retrieve_tools
// corpus: exact npm versions, and the dummy settings each needs to start and
// answer tools/list offline (no token here is real; nothing is called).
export interface CapturedServerSpec {
  /** Name used as the upstream server name in the corpus. */
  server: string;
  package: string;
  version: string;
  /** The package's bin to run (its only bin when omitted). */
  bin?: string;
  args?: string[];
  env?: Record<string, string>;
}

const DUMMY = "dummy-token-not-real";

// Tried and left out: server-redis, mcp-server-mysql, cloudflare 0.2.0,
// mongodb-mcp-server, supabase and heroku closed the connection, and
// @stripe/mcp timed out, before answering tools/list offline with dummy tokens.
export const CAPTURED_SERVERS: CapturedServerSpec[] = [
  {
    server: "filesystem",
    package: "@modelcontextprotocol/server-filesystem",
    version: "2026.8.31",
    args: ["/tmp"],
  },
  {
    server: "memory",
    package: "@modelcontextprotocol/server-memory",
    version: "2026.8.31",
    env: { MEMORY_FILE_PATH: "/tmp/mcp-capture-memory.json" },
  },
  {
    server: "github",
    package: "@modelcontextprotocol/server-github",
    version: "2025.4.8",
    env: { GITHUB_PERSONAL_ACCESS_TOKEN: DUMMY },
  },
  {
    server: "gitlab",
    package: "@modelcontextprotocol/server-gitlab",
    version: "2025.4.25",
    env: { GITLAB_PERSONAL_ACCESS_TOKEN: DUMMY, GITLAB_API_URL: "https://gitlab.invalid/api/v4" },
  },
  {
    server: "slack",
    package: "@modelcontextprotocol/server-slack",
    version: "2025.4.25",
    env: { SLACK_BOT_TOKEN: `xoxb-${DUMMY}`, SLACK_TEAM_ID: "T0000000" },
  },
  {
    server: "google-maps",
    package: "@modelcontextprotocol/server-google-maps",
    version: "0.6.2",
    env: { GOOGLE_MAPS_API_KEY: DUMMY },
  },
  {
    server: "brave-search",
    package: "@modelcontextprotocol/server-brave-search",
    version: "0.6.2",
    env: { BRAVE_API_KEY: DUMMY },
  },
  {
    server: "postgres",
    package: "@modelcontextprotocol/server-postgres",
    version: "0.6.2",
    args: ["postgresql://user:pass@db.invalid:5432/app"],
  },
  { server: "puppeteer", package: "@modelcontextprotocol/server-puppeteer", version: "2025.5.12" },
  {
    server: "sequential-thinking",
    package: "@modelcontextprotocol/server-sequential-thinking",
    version: "2026.8.31",
  },
  {
    server: "everything",
    package: "@modelcontextprotocol/server-everything",
    version: "2026.8.31",
    args: ["stdio"],
  },
  {
    server: "notion",
    package: "@notionhq/notion-mcp-server",
    version: "2.5.2",
    env: { NOTION_TOKEN: DUMMY },
  },
  { server: "playwright", package: "@playwright/mcp", version: "0.0.83" },
  { server: "kubernetes", package: "mcp-server-kubernetes", version: "4.1.7" },
  { server: "tavily", package: "tavily-mcp", version: "0.2.22", env: { TAVILY_API_KEY: DUMMY } },
  { server: "exa", package: "exa-mcp-server", version: "3.4.1", env: { EXA_API_KEY: DUMMY } },
  {
    server: "firecrawl",
    package: "firecrawl-mcp",
    version: "3.26.0",
    env: { FIRECRAWL_API_KEY: `fc-${DUMMY}` },
  },
  { server: "context7", package: "@upstash/context7-mcp", version: "4.1.1" },
  {
    server: "jira",
    package: "@aashari/mcp-server-atlassian-jira",
    version: "3.3.0",
    env: {
      ATLASSIAN_SITE_NAME: "example",
      ATLASSIAN_USER_EMAIL: "user@example.invalid",
      ATLASSIAN_API_TOKEN: DUMMY,
    },
  },
  {
    server: "linear",
    package: "linear-mcp-server",
    version: "0.1.0",
    env: { LINEAR_API_KEY: `lin_api_${DUMMY}` },
  },
  { server: "sentry", package: "@sentry/mcp-server", version: "0.39.0", args: [`--access-token=${DUMMY}`] },
  { server: "youtube-transcript", package: "@kimtaeyoon83/mcp-server-youtube-transcript", version: "0.1.1" },
];
