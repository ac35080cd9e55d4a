import { knownRunFlags } from "@mcpproxy/docker-grammar";
import { describe, expect, it } from "vitest";
import { API_FLAGS } from "../src/api-flags.ts";
import { renderCreateRequest } from "../src/render-api.ts";
import { buildContainerSpec } from "../src/spec.ts";
import { server, settings } from "./fixtures.ts";

function request(extraArgs: string[], env: Record<string, string> = {}) {
  const spec = buildContainerSpec(server({ env }), settings({ extra_args: extraArgs }), { nameSuffix: "t" });
  return renderCreateRequest(spec);
}

describe("renderCreateRequest", () => {
  it("has an entry (a mapping or a reason) for every docker run option", () => {
    expect(knownRunFlags().filter((name) => !Object.hasOwn(API_FLAGS, name))).toEqual([]);
  });

  it("fills Config and HostConfig from the spec", () => {
    const spec = buildContainerSpec(
      server({ env: { API_KEY: "v", PATH: "/bin" } }),
      settings({
        memory_limit: "1g",
        cpu_limit: "0.5",
        network_mode: "none",
        volumes: ["/h:/c:ro", "/anon"],
      }),
      { nameSuffix: "t" },
    );
    const { name, body, needsCli } = renderCreateRequest(spec);
    expect(name).toBe("mcpproxy-my-server-t");
    expect(needsCli).toEqual([]);
    expect(body).toMatchObject({
      Image: "python:3.11",
      Cmd: ["uvx", "mcp-server-name"],
      Env: ["API_KEY=v", "PATH=/bin"],
      OpenStdin: true,
      StdinOnce: true,
      Volumes: { "/anon": {} },
      HostConfig: {
        Memory: 1024 ** 3,
        NanoCpus: 5e8,
        NetworkMode: "none",
        Binds: ["/h:/c:ro"],
        AutoRemove: true,
      },
    });
  });

  it("renders the lifecycle form without AutoRemove and the by-hand form without a name", () => {
    const spec = buildContainerSpec(server(), settings(), { nameSuffix: "t" });
    expect(renderCreateRequest(spec, { removeOnExit: false }).body.HostConfig.AutoRemove).toBe(false);
    const byHand = renderCreateRequest(spec, { byHand: true });
    expect(byHand.name).toBeUndefined();
    expect(byHand.body.Labels).toEqual({ "io.mcpproxy.server": "my-server" });
  });

  it("names each extra_args option the API cannot carry, with the reason", () => {
    const { needsCli } = request([
      "--env-file=/x.env",
      "--security-opt=seccomp=/p.json",
      "--gpus=all",
      "--network=host",
      "-e",
      "FROM_CLI_ENV",
      "--publish=8000-8010:8000-8010",
      "--mount=type=volume,target=/v,volume-driver=local",
      "--made-up=1",
    ]);
    expect(needsCli.map((entry) => entry.arg)).toEqual([
      "--env-file=/x.env",
      "--security-opt=seccomp=/p.json",
      "--gpus=all",
      "--network=host",
      "--env=FROM_CLI_ENV",
      "--publish=8000-8010:8000-8010",
      "--mount=type=volume,target=/v,volume-driver=local",
      "--made-up=1",
    ]);
    for (const entry of needsCli) expect(entry.reason).toMatch(/\w{4,}/);
  });

  it("maps `-e NAME` of a server env name to its value, and de-duplicates env as the CLI does", () => {
    const { body, needsCli } = request(["-e", "TOKEN", "-e", "A=1", "-e", "A=2"], { TOKEN: "t0k" });
    expect(needsCli).toEqual([]);
    expect(body.Env).toEqual(["TOKEN=t0k", "A=2"]);
  });

  it("normalises capabilities as the CLI does", () => {
    const { body } = request(["--cap-add=net_admin", "--cap-add=CAP_NET_ADMIN", "--cap-drop=chown"]);
    expect(body.HostConfig.CapAdd).toEqual(["CAP_NET_ADMIN"]);
    expect(body.HostConfig.CapDrop).toEqual(["CAP_CHOWN"]);
  });
});
