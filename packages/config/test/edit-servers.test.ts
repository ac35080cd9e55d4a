import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addServer, parseConfig, removeServer } from "../src/index.ts";

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcpproxy-edit-servers-"));
  path = join(dir, "mcp_config.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ARRAY_FORM = `{
  // my servers
  "mcpServers": [
    { "name": "github", "command": "npx" }, // keep me
  ],
}
`;

const OBJECT_FORM = `{
  "mcpServers": {
    /* the fetch one */
    "fetch": { "command": "uvx", "args": ["mcp-server-fetch"] }
  }
}
`;

describe("addServer", () => {
  it("appends to the array form, keeping comments, with only the given fields", async () => {
    await writeFile(path, ARRAY_FORM);
    const result = await addServer(path, {
      name: "hog",
      command: "node",
      args: ["-e", "x"],
      isolation: { enabled: true, network_mode: "none" },
    });
    expect(result.config.mcpServers.map((s) => s.name)).toEqual(["github", "hog"]);
    const text = await readFile(path, "utf8");
    expect(text).toContain("// my servers");
    expect(text).toContain("// keep me");
    expect(text).toMatch(/\{\s*"name": "hog",\s*"command": "node",\s*"args": \[/);
    expect(text).not.toContain('"env"');
  });

  it("adds a key to the object form and creates mcpServers when absent", async () => {
    await writeFile(path, OBJECT_FORM);
    await addServer(path, { name: "hog", command: "node" });
    const text = await readFile(path, "utf8");
    expect(text).toContain("/* the fetch one */");
    const parsed = parseConfig(text);
    expect(parsed.ok && parsed.config.mcpServers.map((s) => s.name)).toEqual(["fetch", "hog"]);

    await writeFile(path, '{\n  "listen": "127.0.0.1:8080" // port\n}\n');
    await addServer(path, { name: "first", command: "node" });
    const again = parseConfig(await readFile(path, "utf8"));
    expect(again.ok && again.config.mcpServers.map((s) => s.name)).toEqual(["first"]);
    expect(await readFile(path, "utf8")).toContain("// port");
  });

  it("refuses a duplicate name and an invalid field, naming it, and leaves the file as it was", async () => {
    await writeFile(path, ARRAY_FORM);
    await expect(addServer(path, { name: "github", command: "node" })).rejects.toMatchObject({
      code: "SERVER_EXISTS",
    });
    const error: unknown = await addServer(path, {
      name: "bad",
      command: "node",
      isolation: { memory_limit: "lots" },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_CONFIG" });
    expect(String((error as Error).message)).toContain("mcpServers[1].isolation.memory_limit");
    expect(await readFile(path, "utf8")).toBe(ARRAY_FORM);
  });
});

describe("removeServer", () => {
  it("removes from either form, keeping the rest, and names the servers when not found", async () => {
    await writeFile(path, ARRAY_FORM);
    await addServer(path, { name: "hog", command: "node" });
    await removeServer(path, "github");
    const parsed = parseConfig(await readFile(path, "utf8"));
    expect(parsed.ok && parsed.config.mcpServers.map((s) => s.name)).toEqual(["hog"]);
    expect(await readFile(path, "utf8")).toContain("// my servers");

    await writeFile(path, OBJECT_FORM);
    await removeServer(path, "fetch");
    const empty = parseConfig(await readFile(path, "utf8"));
    expect(empty.ok && empty.config.mcpServers).toEqual([]);
    await expect(removeServer(path, "fetch")).rejects.toMatchObject({ code: "SERVER_NOT_FOUND" });
  });
});
