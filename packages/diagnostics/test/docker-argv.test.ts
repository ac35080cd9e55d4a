import { describe, expect, it } from "vitest";
import {
  bindMounts,
  optionValues,
  parseDockerRun,
  parseVolumeSpec,
  withoutTtyFlag,
} from "../src/docker-argv.ts";
import { doubledMemory, formatDuration, formatMemory, parseMemory } from "../src/units.ts";

describe("parseDockerRun", () => {
  it("splits options, image and the command inside the container", () => {
    expect(
      parseDockerRun([
        "run",
        "-i",
        "--rm",
        "-e",
        "A=1",
        "--network",
        "none",
        "--memory=512m",
        "python:3.11",
        "uvx",
        "-q",
        "x",
      ]),
    ).toEqual({
      options: ["-i", "--rm", "-e", "A=1", "--network", "none", "--memory=512m"],
      image: "python:3.11",
      command: ["uvx", "-q", "x"],
    });
    expect(parseDockerRun(["docker", "container", "run", "-it", "img"]).image).toBe("img");
    expect(parseDockerRun(["run", "-iv", "/a:/b", "img", "cmd"])).toMatchObject({
      image: "img",
      command: ["cmd"],
    });
    expect(parseDockerRun(["ps", "-a"])).toEqual({ options: [], command: [] });
  });

  it("reads option values in both spellings", () => {
    const { options } = parseDockerRun(["run", "--network=bridge", "--net", "none", "-m", "1g", "img"]);
    expect(optionValues(options, ["--network", "--net"])).toEqual(["bridge", "none"]);
    expect(optionValues(options, ["-m", "--memory"])).toEqual(["1g"]);
  });

  it("finds bind mounts from -v and --mount", () => {
    const { options } = parseDockerRun([
      "run",
      "-v",
      "/h:/c:ro",
      "--volume=/x:/y",
      "-v",
      "named:/data",
      "--mount",
      "type=bind,source=/s,target=/t,readonly",
      "img",
    ]);
    expect(bindMounts(options)).toEqual([
      { host: "/h", container: "/c", readOnly: true },
      { host: "/x", container: "/y", readOnly: false },
      { host: "/s", container: "/t", readOnly: true },
    ]);
    expect(parseVolumeSpec("C:\\data:/data:ro")).toEqual({
      host: "C:\\data",
      container: "/data",
      readOnly: true,
    });
  });
});

describe("withoutTtyFlag", () => {
  it("drops -t only among docker's options", () => {
    expect(withoutTtyFlag(["run", "-it", "--rm", "img", "grep", "-t"])).toEqual([
      "run",
      "-i",
      "--rm",
      "img",
      "grep",
      "-t",
    ]);
    expect(withoutTtyFlag(["run", "-i", "-t", "--tty", "img"])).toEqual(["run", "-i", "img"]);
    expect(withoutTtyFlag(["run", "-ti", "img"])).toEqual(["run", "-i", "img"]);
    expect(withoutTtyFlag(["run", "-e", "-t", "img"])).toBeUndefined();
    expect(withoutTtyFlag(["run", "-i", "img"])).toBeUndefined();
    expect(withoutTtyFlag(["ps"])).toBeUndefined();
  });
});

describe("units", () => {
  it("parses and doubles Docker memory sizes", () => {
    expect(parseMemory("512m")).toBe(512 * 1024 ** 2);
    expect(parseMemory("1.5g")).toBe(1.5 * 1024 ** 3);
    expect(parseMemory("64MB")).toBe(64 * 1024 ** 2);
    expect(parseMemory("lots")).toBeUndefined();
    expect(formatMemory(1024 ** 3)).toBe("1g");
    expect(formatMemory(1000)).toBe("1000");
    expect(doubledMemory("512m")).toBe("1g");
    expect(doubledMemory("768m")).toBe("1536m");
    expect(doubledMemory(undefined)).toBe("1g");
    expect(formatDuration(60_000)).toBe("60s");
    expect(formatDuration(1500)).toBe("1500ms");
  });
});
