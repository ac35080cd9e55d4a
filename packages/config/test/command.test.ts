import { describe, expect, it } from "vitest";
import { commandBaseName, isContainerRuntimeCommand } from "../src/index.ts";

describe("commandBaseName", () => {
  it.each([
    ["uvx", "uvx"],
    ["/usr/local/bin/python3", "python3"],
    ["./venv/bin/python", "python"],
    ["C:\\Program Files\\nodejs\\npx.cmd", "npx"],
    ["python.exe", "python"],
    ["Docker.EXE", "docker"],
    ["  node  ", "node"],
    ["python3.12", "python3.12"],
  ])("%s → %s", (command, expected) => {
    expect(commandBaseName(command)).toBe(expected);
  });
});

describe("isContainerRuntimeCommand", () => {
  it.each(["docker", "/usr/bin/docker", "docker.exe", "C:\\bin\\podman.exe", "nerdctl", "PODMAN"])(
    "%s is a container runtime",
    (command) => {
      expect(isContainerRuntimeCommand(command)).toBe(true);
    },
  );
  it.each(["dockerd-helper", "uvx", "my-docker-wrapper", "docker-compose", "npx"])("%s is not", (command) => {
    expect(isContainerRuntimeCommand(command)).toBe(false);
  });
});
