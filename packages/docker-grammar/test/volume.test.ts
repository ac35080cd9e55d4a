import { describe, expect, it } from "vitest";
import { isReadOnlyVolume, parseMountSpec, parseTmpfsSpec, parseVolumeSpec } from "../src/volume.ts";

describe("parseVolumeSpec", () => {
  it.each([
    ["/host/path:/container/path:ro", "/host/path", "/container/path", "ro"],
    ["/a:/b", "/a", "/b", undefined],
    ["named:/data", "named", "/data", undefined],
    ["/anonymous", undefined, "/anonymous", undefined],
    ["C:\\Users\\me\\data:/data:rw", "C:\\Users\\me\\data", "/data", "rw"],
  ])("%s", (spec, source, target, mode) => {
    expect(parseVolumeSpec(spec)).toEqual({ source, target, mode, extra: [] });
  });

  it("keeps fields after the mode, which Docker rejects", () => {
    expect(parseVolumeSpec("/a:/b:ro:x").extra).toEqual(["x"]);
  });

  it("reads ro among the mode options", () => {
    expect(isReadOnlyVolume(parseVolumeSpec("/a:/b:z,ro"))).toBe(true);
    expect(isReadOnlyVolume(parseVolumeSpec("/a:/b:rw"))).toBe(false);
  });
});

describe("parseMountSpec", () => {
  it("reads sources, targets and read-only in any spelling", () => {
    expect(parseMountSpec("type=bind,source=/,target=/host")).toMatchObject({
      type: "bind",
      source: "/",
      target: "/host",
      readOnly: false,
    });
    expect(parseMountSpec("type=bind,src=/etc,dst=/e,readonly")).toMatchObject({
      source: "/etc",
      target: "/e",
      readOnly: true,
    });
    expect(parseMountSpec("source=data,destination=/d,ro=false")).toMatchObject({
      type: "volume",
      source: "data",
      target: "/d",
      readOnly: false,
    });
  });
});

describe("parseTmpfsSpec", () => {
  it("splits the target from the options", () => {
    expect(parseTmpfsSpec("/tmp:size=64m")).toEqual({ target: "/tmp", options: "size=64m" });
    expect(parseTmpfsSpec("/run")).toEqual({ target: "/run", options: "" });
  });
});
