import { describe, expect, it } from "vitest";
import {
  dangerousHostPath,
  normalizeTarget,
  parseMountSpec,
  parseVolumeSpec,
  tmpfsTarget,
} from "../src/mounts.ts";

describe("parseVolumeSpec", () => {
  it.each([
    ["/host/path:/container/path:ro", "/host/path", "/container/path"],
    ["/a:/b", "/a", "/b"],
    ["named:/data", "named", "/data"],
    ["/anonymous", undefined, "/anonymous"],
    ["C:\\Users\\me\\data:/data:rw", "C:\\Users\\me\\data", "/data"],
  ])("%s", (spec, source, target) => {
    expect(parseVolumeSpec(spec)).toEqual({ source, target });
  });
});

describe("parseMountSpec", () => {
  it("reads bind sources and targets in any spelling", () => {
    expect(parseMountSpec("type=bind,source=/,target=/host")).toEqual({ source: "/", target: "/host" });
    expect(parseMountSpec("type=bind,src=/etc,dst=/e,readonly")).toEqual({ source: "/etc", target: "/e" });
    expect(parseMountSpec("type=volume,source=data,destination=/d")).toEqual({
      source: undefined,
      target: "/d",
    });
  });
});

describe("tmpfsTarget / normalizeTarget", () => {
  it("normalizes container paths", () => {
    expect(tmpfsTarget("/tmp:size=64m")).toBe("/tmp");
    expect(normalizeTarget("/tmp/")).toBe("/tmp");
    expect(normalizeTarget("//tmp/.")).toBe("/tmp");
    expect(normalizeTarget(undefined)).toBeUndefined();
  });
});

describe("dangerousHostPath", () => {
  it.each([
    "/",
    "//",
    "/.",
    "C:\\",
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run//docker.sock/",
    "/run/user/1000/podman/podman.sock",
    "//./pipe/docker_engine",
    "~/.ssh",
    "/home/me/.ssh",
    "/root/.ssh/id_ed25519",
    "$HOME/.SSH",
    "C:\\Users\\me\\.ssh",
    "~",
    "/home/me",
    "/Users/me/",
    "/root",
  ])("%s is dangerous", (path) => {
    expect(dangerousHostPath(path)).toBeTypeOf("string");
  });

  it.each([
    "/home/me/project",
    "/tmp",
    "/var/run",
    "data",
    "./src",
    "/Users/me/code/app",
    "/srv/ssh-keys-not",
  ])("%s is not", (path) => {
    expect(dangerousHostPath(path)).toBeUndefined();
  });
});
