// Name and version the proxy announces in MCP `initialize` and the REST API.
import { readFileSync } from "node:fs";

export const PROXY_NAME = "mcpproxy";

function readVersion(): string {
  try {
    // ../package.json from both src/ and dist/.
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export const PROXY_VERSION: string = readVersion();
