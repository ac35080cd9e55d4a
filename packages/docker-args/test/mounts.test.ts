import { describe, expect, it } from "vitest";
import { dangerousHostPath, normalizeTarget } from "../src/mounts.ts";

describe("normalizeTarget", () => {
  it("normalizes container paths", () => {
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
