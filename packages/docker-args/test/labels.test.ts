import { describe, expect, it } from "vitest";
import {
  containerName,
  containerNamePart,
  labelFilterArgs,
  MANAGED_BY_VALUE,
  MCPPROXY_LABELS,
  randomNameSuffix,
} from "../src/labels.ts";

describe("container names", () => {
  it.each([
    ["github", "github"],
    ["my_server.v2", "my_server.v2"],
    ["My-Server", "My-Server"],
    ["my server", "my-server"],
    ["a  /\\  b", "a-b"],
    ["srv:8080", "srv-8080"],
    ["émoji🙂name", "-moji-name"],
    ["---", "server"],
    ["日本語", "server"],
  ])("%j → %j", (name, part) => {
    expect(containerNamePart(name)).toBe(part);
  });

  it("keeps valid names greppable: docker ps | grep mcpproxy-<name>", () => {
    expect(containerName("sqlite", "0a1b2c3d")).toBe("mcpproxy-sqlite-0a1b2c3d");
    expect(containerName("sqlite", "0a1b2c3d").startsWith("mcpproxy-sqlite")).toBe(true);
  });

  it("caps the server part at 100 characters", () => {
    expect(containerNamePart("x".repeat(500))).toHaveLength(100);
  });

  it("draws 8-hex-digit random suffixes", () => {
    const suffixes = new Set(Array.from({ length: 50 }, randomNameSuffix));
    expect(suffixes.size).toBe(50);
    for (const suffix of suffixes) expect(suffix).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe("labels", () => {
  it("has the agreed keys and managed-by value", () => {
    expect(MCPPROXY_LABELS).toEqual({
      managedBy: "io.mcpproxy.managed-by",
      server: "io.mcpproxy.server",
      instance: "io.mcpproxy.instance",
      configHash: "io.mcpproxy.config-hash",
    });
    expect(MANAGED_BY_VALUE).toBe("mcpproxy");
    expect(Object.isFrozen(MCPPROXY_LABELS)).toBe(true);
  });

  it("labelFilterArgs selects all of the proxy's containers, or narrows", () => {
    expect(labelFilterArgs()).toEqual(["--filter", "label=io.mcpproxy.managed-by=mcpproxy"]);
    expect(labelFilterArgs({ instanceId: "i-1", server: "my server", configHash: "h" })).toEqual([
      "--filter",
      "label=io.mcpproxy.managed-by=mcpproxy",
      "--filter",
      "label=io.mcpproxy.server=my server",
      "--filter",
      "label=io.mcpproxy.instance=i-1",
      "--filter",
      "label=io.mcpproxy.config-hash=h",
    ]);
  });
});
