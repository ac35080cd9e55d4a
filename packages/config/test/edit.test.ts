import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, setServerEnabled } from "../src/index.ts";
import { formattingOf, withApiKey } from "../src/edit.ts";

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcpproxy-edit-"));
  path = join(dir, "mcp_config.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ARRAY_FORM = `{
  // my servers
  "mcpServers": [
    {
      "name": "github", // the GitHub one
      "command": "npx",
      "enabled": true,
    },
    { "name": "fetch", "command": "uvx" /* no enabled key */ },
  ],
}
`;

describe("setServerEnabled", () => {
  it("flips an existing enabled value in place, keeping comments and formatting", async () => {
    await writeFile(path, ARRAY_FORM);
    const result = await setServerEnabled(path, "github", false);
    expect(result.config.mcpServers.map((s) => [s.name, s.enabled])).toEqual([
      ["github", false],
      ["fetch", true],
    ]);
    expect(await readFile(path, "utf8")).toBe(ARRAY_FORM.replace('"enabled": true', '"enabled": false'));
  });

  it("adds enabled to a server that has none", async () => {
    await writeFile(path, ARRAY_FORM);
    await setServerEnabled(path, "fetch", false);
    const text = await readFile(path, "utf8");
    expect(text).toBe(ARRAY_FORM.replace('"command": "uvx" /*', '"command": "uvx", "enabled": false /*'));
  });

  it.each([
    [
      "a trailing comma and a comment",
      '      "command": "x", // run x',
      '      "command": "x", // run x\n      "enabled": false,',
    ],
    [
      "no comma and a comment",
      '      "command": "x" /* x */',
      '      "command": "x", /* x */\n      "enabled": false',
    ],
    ["no comma", '      "command": "x"', '      "command": "x",\n      "enabled": false'],
  ])("adds enabled on a line of its own in a multi-line server: %s", async (_name, line, expected) => {
    const wrap = (inner: string): string =>
      `{\n  "mcpServers": [\n    {\n      "name": "a",\n${inner}\n    }\n  ]\n}`;
    await writeFile(path, wrap(line));
    await setServerEnabled(path, "a", false);
    expect(await readFile(path, "utf8")).toBe(wrap(expected));
  });

  it("keeps CRLF line endings", async () => {
    await writeFile(
      path,
      '{\r\n  "mcpServers": [{\r\n    "name": "a",\r\n    "command": "x"\r\n  }]\r\n}\r\n',
    );
    await setServerEnabled(path, "a", false);
    expect(await readFile(path, "utf8")).toBe(
      '{\r\n  "mcpServers": [{\r\n    "name": "a",\r\n    "command": "x",\r\n    "enabled": false\r\n  }]\r\n}\r\n',
    );
  });

  it("works on the object-map form", async () => {
    const text = '{\n\t"mcpServers": {\n\t\t"gh": {\n\t\t\t"command": "npx"\n\t\t}\n\t}\n}\n';
    await writeFile(path, text);
    const result = await setServerEnabled(path, "gh", false);
    expect(result.config.mcpServers[0]?.enabled).toBe(false);
    expect(await readFile(path, "utf8")).toBe(
      '{\n\t"mcpServers": {\n\t\t"gh": {\n\t\t\t"command": "npx",\n\t\t\t"enabled": false\n\t\t}\n\t}\n}\n',
    );
  });

  it("changes the value that counts when enabled is given twice", async () => {
    await writeFile(
      path,
      '{"mcpServers": [{"name": "a", "command": "x", "enabled": false, "enabled": true}]}',
    );
    const result = await setServerEnabled(path, "a", false);
    expect(result.config.mcpServers[0]?.enabled).toBe(false);
    expect(await readFile(path, "utf8")).toBe(
      '{"mcpServers": [{"name": "a", "command": "x", "enabled": false, "enabled": false}]}',
    );
  });

  it("does not write when nothing changes", async () => {
    await writeFile(path, ARRAY_FORM);
    const before = await stat(path, { bigint: true });
    const result = await setServerEnabled(path, "github", true);
    expect(result.ok).toBe(true);
    expect((await stat(path, { bigint: true })).mtimeNs).toBe(before.mtimeNs);
  });

  it("keeps the file's mode", async () => {
    await writeFile(path, ARRAY_FORM);
    await chmod(path, 0o600);
    await setServerEnabled(path, "github", false);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("throws SERVER_NOT_FOUND naming the servers there are", async () => {
    await writeFile(path, ARRAY_FORM);
    await expect(setServerEnabled(path, "gitlab", true)).rejects.toMatchObject({
      code: "SERVER_NOT_FOUND",
      message: `no server named "gitlab" in ${path} (servers: "github", "fetch")`,
    });
  });

  it("throws CONFIG_NOT_FOUND for a missing file", async () => {
    await expect(setServerEnabled(path, "x", true)).rejects.toMatchObject({ code: "CONFIG_NOT_FOUND" });
  });

  it("refuses to edit a file that does not validate, and leaves it as it was", async () => {
    const text = '{"listen": "8080", "mcpServers": [{"name": "a", "command": "x"}]}';
    await writeFile(path, text);
    const error: unknown = await setServerEnabled(path, "a", false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      code: "INVALID_CONFIG",
      issues: [{ path: "listen", code: "INVALID_LISTEN" }],
    });
    expect((error as Error).message).toBe(
      `${path} does not validate; fix it first:\n  listen: "8080" needs a host; use "127.0.0.1:8080"`,
    );
    expect(await readFile(path, "utf8")).toBe(text);
  });

  it("keeps a byte order mark", async () => {
    await writeFile(path, '\uFEFF{"mcpServers": [{"name": "a", "command": "x"}]}');
    await setServerEnabled(path, "a", false);
    expect(await readFile(path, "utf8")).toBe(
      '\uFEFF{"mcpServers": [{"name": "a", "command": "x", "enabled": false}]}',
    );
  });
});

describe("withApiKey and formattingOf", () => {
  it("adds api_key after listen, or first when there is no listen", () => {
    expect(withApiKey('{\n  "listen": "127.0.0.1:1",\n  "x": 1\n}', "k")).toBe(
      '{\n  "listen": "127.0.0.1:1",\n  "api_key": "k",\n  "x": 1\n}',
    );
    expect(withApiKey('{\n    "x": 1\n}', "k")).toBe('{\n    "api_key": "k",\n    "x": 1\n}');
  });

  it("detects the indentation and line ending in use", () => {
    expect(formattingOf('{\r\n\t"a": 1\r\n}')).toEqual({ insertSpaces: false, tabSize: 1, eol: "\r\n" });
    expect(formattingOf('{\n    "a": 1\n}')).toEqual({ insertSpaces: true, tabSize: 4, eol: "\n" });
    expect(formattingOf("{}")).toEqual({ insertSpaces: true, tabSize: 2, eol: "\n" });
  });
});
