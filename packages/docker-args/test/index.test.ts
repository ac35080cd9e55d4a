import { describe, expect, it } from "vitest";
import * as api from "../src/index.ts";

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([
      "API_FLAGS",
      "CONTAINER_NAME_PREFIX",
      "DockerArgsError",
      "MANAGED_BY_VALUE",
      "MASK",
      "MCPPROXY_LABELS",
      "buildContainerSpec",
      "buildDockerRunArgs",
      "containerNamePart",
      "dockerProcessEnv",
      "dockerRunArgsForLog",
      "formatDockerCommand",
      "isDockerCliEnvName",
      "labelFilterArgs",
      "renderCreateRequest",
      "renderDockerRunArgv",
      "renderedLabels",
      "shellQuote",
    ]);
  });

  it("DockerArgsError carries code, field, value and cause", () => {
    const cause = new Error("inner");
    const error = new api.DockerArgsError("INVALID_ENV_KEY", "env.A=B", "A=B", "bad", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "DockerArgsError",
      code: "INVALID_ENV_KEY",
      field: "env.A=B",
      value: "A=B",
      cause,
    });
  });

  it.each([
    ["DOCKER_HOST", true],
    ["docker_config", true],
    ["PATH", true],
    ["Path", true],
    ["HOME", true],
    ["https_proxy", true],
    ["XDG_RUNTIME_DIR", true],
    ["API_KEY", false],
    ["PATHS", false],
    ["MY_DOCKER_HOST", false],
  ])("isDockerCliEnvName(%j) is %s", (name, expected) => {
    expect(api.isDockerCliEnvName(name)).toBe(expected);
  });
});
