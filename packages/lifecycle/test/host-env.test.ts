import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { hostServerEnv } from "../src/host-env.ts";
import { startServer, type ServerHandle } from "../src/index.ts";
import { EVERYTHING_ENTRY, instanceId, notIsolated, serverConfig } from "./helpers.ts";

const SECRET_NAME = "MCPPROXY_TEST_CLOUD_TOKEN";
const SECRET_VALUE = "proxy-secret-7f3a";
const handles: ServerHandle[] = [];

beforeEach(() => {
  process.env[SECRET_NAME] = SECRET_VALUE;
});
afterEach(() => {
  delete process.env[SECRET_NAME];
});
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.stop()));
});

async function envSeenByServer(inherit: boolean | undefined): Promise<Record<string, string>> {
  const server = {
    ...serverConfig(`env-${String(inherit)}`, process.execPath, [EVERYTHING_ENTRY, "stdio"], {
      OWN_SETTING: "own-value",
    }),
    ...(inherit === undefined ? {} : { inherit_env: inherit }),
  };
  const handle = await startServer(server, notIsolated(), { instanceId: instanceId("hostenv") });
  handles.push(handle);
  // server-everything's get-env tool prints the process environment it really has.
  const result = await handle.client?.callTool({ name: "get-env", arguments: {} });
  await handle.stop();
  const content = (result?.content ?? []) as { type: string; text?: string }[];
  return JSON.parse(content.find((part) => part.type === "text")?.text ?? "{}") as Record<string, string>;
}

describe("the environment of a host (not isolated) server", () => {
  it("hides the proxy's other variables by default and passes the allowlist plus the server's env", async () => {
    const env = await envSeenByServer(undefined);
    expect(env[SECRET_NAME]).toBeUndefined();
    expect(Object.values(env)).not.toContain(SECRET_VALUE);
    expect(env["OWN_SETTING"]).toBe("own-value");
    expect(env["PATH"]).toBe(process.env["PATH"]);
  });

  it("passes everything with inherit_env: true", async () => {
    const env = await envSeenByServer(true);
    expect(env[SECRET_NAME]).toBe(SECRET_VALUE);
    expect(env["OWN_SETTING"]).toBe("own-value");
  });

  it("builds the allowlist from a given environment; the server's env wins; shell functions are dropped", () => {
    const env = hostServerEnv(
      { env: { HOME: "/srv/home" }, inherit_env: false },
      { HOME: "/root", PATH: "/bin", LANG: "C.UTF-8", AWS_SECRET_ACCESS_KEY: "x", SHELL: "() { :; }" },
    );
    expect(env).toEqual({ HOME: "/srv/home", PATH: "/bin", LANG: "C.UTF-8" });
  });
});
