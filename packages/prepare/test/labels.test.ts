import { describe, expect, it } from "vitest";
import { PREPARED_LABELS, readPreparedLabels } from "../src/index.ts";

describe("readPreparedLabels", () => {
  it("is undefined for images that are not (complete) prepared images", () => {
    expect(readPreparedLabels(undefined)).toBeUndefined();
    expect(readPreparedLabels(null)).toBeUndefined();
    expect(readPreparedLabels({ other: "x" })).toBeUndefined();
    expect(readPreparedLabels({ [PREPARED_LABELS.marker]: "true" })).toBeUndefined();
  });

  it("tolerates a damaged packages label", () => {
    const labels = {
      [PREPARED_LABELS.marker]: "true",
      [PREPARED_LABELS.hash]: "h",
      [PREPARED_LABELS.package]: "p",
      [PREPARED_LABELS.version]: "1.0.0",
      [PREPARED_LABELS.packages]: "{not json",
    };
    expect(readPreparedLabels(labels)).toMatchObject({
      package: { name: "p", version: "1.0.0", integrity: "" },
      packages: [],
    });
  });
});
