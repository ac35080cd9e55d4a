// The REST API's OpenAPI document (valid, covering every route), its reference
// page, dashboard sessions (HttpOnly SameSite=Strict cookie, CSRF token on
// POSTs) and the tool search route (the ranking of retrieve_tools).
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventBus } from "../src/events.ts";
import { type RunningProxy } from "../src/index.ts";
import { createRestApp, type RestContext } from "../src/rest-api.ts";
import {
  callTool,
  connectClient,
  dynamicServer,
  rest,
  startTestProxy,
  tempDir,
  textOf,
  uniqueName,
  waitReady,
  type TempDir,
} from "./helpers.ts";

const KEY = "openapi-test-key";

describe("REST API: OpenAPI, sessions, tool search", () => {
  const alpha = uniqueName("alpha");
  let tmp: TempDir;
  let proxy: RunningProxy;
  const api = (route: string) => new URL(`/api/v1${route}`, proxy.url);

  beforeAll(async () => {
    tmp = await tempDir();
    proxy = await startTestProxy(tmp, { api_key: KEY, mcpServers: [dynamicServer(alpha)] });
    await waitReady(proxy.url, KEY, [alpha]);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("serves a reference page of the document without scripts", async () => {
    const response = await fetch(api("/docs"));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("/api/v1/servers/{name}/restart");
    expect(html).toContain("/api/v1/events");
    expect(html).not.toContain("<script");
  });

  it("opens a dashboard session from the key: an HttpOnly SameSite=Strict cookie and a CSRF token", async () => {
    const wrong = await fetch(api("/session"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ api_key: "nope" }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const login = await fetch(api("/session"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ api_key: KEY }),
    });
    expect(login.status).toBe(200);
    const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^mcpproxy_session=[\w-]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toContain(KEY);
    const cookie = setCookie.split(";")[0]!;

    expect((await fetch(api("/servers"), { headers: { cookie } })).status).toBe(200);
    const session = (await (await fetch(api("/session"), { headers: { cookie } })).json()) as Record<
      string,
      unknown
    >;
    expect(session).toEqual({ authenticated: true, key_required: true, csrf_token: csrf });

    const noToken = await fetch(api(`/servers/${alpha}/restart`), { method: "POST", headers: { cookie } });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    const badToken = await fetch(api(`/servers/${alpha}/restart`), {
      method: "POST",
      headers: { cookie, "x-csrf-token": `${csrf}x` },
    });
    expect(badToken.status).toBe(403);
    const restarted = await fetch(api(`/servers/${alpha}/restart`), {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(restarted.status).toBe(200);

    const logout = await fetch(api("/session"), { method: "DELETE", headers: { cookie } });
    expect(logout.status).toBe(200);
    expect((await fetch(api("/servers"), { headers: { cookie } })).status).toBe(401);
  });

  it("refuses a malformed login body with a JSON error", async () => {
    const response = await fetch(api("/session"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
  });

  it("searches tools with the ranking of retrieve_tools", async () => {
    const { status, body } = await rest<{ tools: { name: string; score: number }[]; total_tools: number }>(
      proxy.url,
      "/tools?q=weather%20forecast%20city&limit=3",
      { apiKey: KEY },
    );
    expect(status).toBe(200);
    expect(body.tools[0]?.name).toBe(`${alpha}:weather_forecast`);
    expect(body.total_tools).toBe(5);
    const client = await connectClient(proxy.mcpUrl, KEY);
    try {
      const retrieved = JSON.parse(
        textOf(await callTool(client, "retrieve_tools", { query: "weather forecast city", limit: 3 })),
      ) as { tools: { name: string; score: number }[] };
      expect(body.tools.map((t) => [t.name, t.score])).toEqual(retrieved.tools.map((t) => [t.name, t.score]));
    } finally {
      await client.close();
    }
    const bad = await rest(proxy.url, "/tools?limit=0", { apiKey: KEY });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
  });

  it("refuses to pull for a server that is not isolated", async () => {
    const pull = await rest(proxy.url, `/servers/${alpha}/pull`, { apiKey: KEY, method: "POST" });
    expect(pull).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
  });

  // Last: validating is slow CPU work, and a keep-alive socket left idle meanwhile may be
  // closed by the server just as the next fetch reuses it (ECONNRESET on a loaded machine).
  it("publishes a valid OpenAPI 3.1 document that covers every route", async () => {
    const response = await fetch(api("/openapi.json"));
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, object> };
    expect(document.openapi).toBe("3.1.0");
    const validation = await new Validator().validate(document);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);

    // Every route the app answers (but the document and its page) is in the document.
    const app = createRestApp({ events: createEventBus() } as unknown as RestContext);
    const routes = app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace("/api/v1", "").replace(/:(\w+)/g, "{$1}")}`)
      .filter((r) => !/ \/(openapi\.json|docs)$/.test(r));
    const documented = Object.entries(document.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((method) => `${method} ${p}`),
    );
    expect(routes.length).toBeGreaterThanOrEqual(13);
    expect(new Set(documented)).toEqual(new Set(routes));
  });
});
