import { describe, expect, it } from "vitest";
import { ConfigError, parseDuration, parseMemory } from "../src/index.ts";
import { imageProblem, listenProblem, networkProblem, networkTypo, volumeProblem } from "../src/formats.ts";

describe("parseMemory", () => {
  it.each([
    ["512m", 512 * 1024 ** 2],
    ["1g", 1024 ** 3],
    ["1G", 1024 ** 3],
    ["1.5g", 1.5 * 1024 ** 3],
    ["512mb", 512 * 1024 ** 2],
    ["512MiB", 512 * 1024 ** 2],
    ["10240k", 10240 * 1024],
    ["536870912", 536870912],
    ["7000000b", 7000000],
    ["6m", 6 * 1024 ** 2],
  ])("%s → %d bytes", (text, bytes) => {
    expect(parseMemory(text)).toBe(bytes);
  });

  it.each(["512", "5m", "", "abc", "-1g", "1,5g", "512x", " 512m"])(
    "rejects %j with a ConfigError",
    (text) => {
      expect(() => parseMemory(text)).toThrow(ConfigError);
      try {
        parseMemory(text);
      } catch (error) {
        expect(error).toMatchObject({ code: "INVALID_VALUE" });
      }
    },
  );
});

describe("parseDuration", () => {
  it.each([
    ["30s", 30_000],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["1h", 3_600_000],
    ["1.5s", 1500],
    ["2h45m", 9_900_000],
    ["1500us", 1.5],
    ["+10s", 10_000],
    ["60s", 60_000],
  ])("%s → %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["30", "", "30sec", "30S", "-1s", "0s", "1m 30s", "s"])("rejects %j", (text) => {
    expect(() => parseDuration(text)).toThrow(/duration .* is invalid/);
  });
});

describe("networkProblem", () => {
  it.each(["bridge", "host", "none", "container:db", "container:3f4e8a", "my_net-1.x"])(
    "accepts %s",
    (mode) => {
      expect(networkProblem(mode)).toBeUndefined();
    },
  );
  it.each(["", "container:", "container:-x", "my net", "-net"])("rejects %j", (mode) => {
    expect(networkProblem(mode)).toBeTypeOf("string");
  });
  it("suggests a built-in mode for a near miss only", () => {
    expect(networkTypo("hots")).toBe("host");
    expect(networkTypo("Bridge")).toBe("bridge");
    expect(networkTypo("host")).toBeUndefined();
    expect(networkTypo("backend")).toBeUndefined();
    expect(networkTypo("container:nonee")).toBeUndefined();
  });
});

describe("volumeProblem", () => {
  it.each(["/a:/b", "/a:/b:ro", "/a:/b:rw", "/a:/b:z", "D:/data:/data", "C:\\x:/x:ro"])(
    "accepts %s",
    (volume) => {
      expect(volumeProblem(volume)).toBeUndefined();
    },
  );
  it.each([
    ["/a:/b:ro:z", '"/a:/b:ro:z" has too many ":"; write it as "/host/path:/container/path:ro"'],
    ["/a:/b:ro,rw", '"/a:/b:ro,rw" is both "ro" and "rw"; choose one'],
    [
      "vol:/data",
      'host path "vol" must be absolute (named volumes are not supported); write it as "/host/path:/container/path:ro"',
    ],
  ])("rejects %s", (volume, message) => {
    expect(volumeProblem(volume)).toBe(message);
  });
});

describe("imageProblem", () => {
  it.each([
    "python:3.11",
    "node:20",
    "golang:1.21-alpine",
    "my-custom-python:latest",
    "ghcr.io/org/image:1.0",
    "localhost:5000/x/y",
    "library/alpine",
    `alpine@sha256:${"0".repeat(64)}`,
  ])("accepts %s", (image) => {
    expect(imageProblem(image)).toBeUndefined();
  });
  it.each([
    ["", 'is empty; use an image such as "python:3.11"'],
    ["python:", '"python:" has an invalid tag ""'],
    ["alpine@sha256:xyz", '"alpine@sha256:xyz" has an invalid digest; write it as "@sha256:<hex>"'],
    [
      "my_repo!:1",
      '"my_repo!:1" is not a valid image reference; use e.g. "python:3.11" or "ghcr.io/org/image:tag"',
    ],
  ])("rejects %j", (image, message) => {
    expect(imageProblem(image)).toBe(message);
  });
});

describe("listenProblem", () => {
  it.each(["127.0.0.1:8080", "localhost:1", "[::1]:65535", "127.0.0.1:0"])("accepts %s", (listen) => {
    expect(listenProblem(listen)).toBeUndefined();
  });
  it("explains a port above 65535, mentioning 0 for a free port", () => {
    expect(listenProblem("127.0.0.1:65536")).toBe(
      '"127.0.0.1:65536": port 65536 is out of range; use 1-65535 (or 0 for any free port)',
    );
  });
});
