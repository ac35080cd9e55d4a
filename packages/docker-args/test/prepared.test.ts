import { describe, expect, it } from "vitest";
import { buildDockerRunArgs } from "../src/build.ts";
import { renderCreateRequest } from "../src/render-api.ts";
import { server, settings, thrown, withoutManaged } from "./fixtures.ts";

const fixed = { nameSuffix: "abc123" };
const memory = server({
  name: "memory",
  command: "npx",
  args: ["-y", "@modelcontextprotocol/server-memory"],
});

describe("prepared_image", () => {
  it("runs the local prepared image with only the args as CMD (its ENTRYPOINT runs the server)", () => {
    const result = buildDockerRunArgs(
      { ...memory, args: ["--flag"] },
      settings({ prepared_image: "mcpproxy-prepared/memory:0123456789abcdef", network_mode: "none" }),
      fixed,
    );
    expect(withoutManaged(result.argv)).toEqual([
      "run",
      "-i",
      "--rm",
      "--memory=512m",
      "--cpus=1.0",
      "--network=none",
      "mcpproxy-prepared/memory:0123456789abcdef",
      "--flag",
    ]);
    expect(result).toMatchObject({ image: "mcpproxy-prepared/memory:0123456789abcdef", runtime: "prepared" });
  });

  it("is never put under the configured registry (it exists only on this engine)", () => {
    const result = buildDockerRunArgs(
      { ...memory, args: [] },
      settings({
        prepared_image: "mcpproxy-prepared/memory:0123456789abcdef",
        registry: "mirror.example.com",
      }),
      fixed,
    );
    expect(result.image).toBe("mcpproxy-prepared/memory:0123456789abcdef");
    expect(result.spec.command).toEqual([]);
  });

  it("gives the Engine API request the args as Cmd and no Entrypoint override", () => {
    const spec = buildDockerRunArgs(
      { ...memory, args: ["a"] },
      settings({ prepared_image: "mcpproxy-prepared/memory:0123456789abcdef" }),
      fixed,
    ).spec;
    const request = renderCreateRequest(spec);
    expect(request.body.Cmd).toEqual(["a"]);
    expect(request.body).not.toHaveProperty("Entrypoint");
  });

  it("refuses an invalid prepared image, naming the field", () => {
    const error = thrown(() => buildDockerRunArgs(memory, settings({ prepared_image: "-bad" }), fixed));
    expect(error).toMatchObject({ code: "INVALID_IMAGE", field: "prepared_image" });
  });
});
