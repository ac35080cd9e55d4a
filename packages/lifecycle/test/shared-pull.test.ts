import { describe, expect, it } from "vitest";
import { PullTracker } from "../src/shared-pull.ts";

describe("PullTracker", () => {
  it("folds per-layer events into layer and byte counts", () => {
    const tracker = new PullTracker("127.0.0.1:5000/app:v1");
    tracker.add({ image: "x", status: "Pulling from app", layer: undefined });
    tracker.add({ image: "x", layer: "aaaaaaaaaaaa", status: "Already exists" });
    tracker.add({ image: "x", layer: "bbbbbbbbbbbb", status: "Downloading", current: 1_000, total: 4_000 });
    tracker.add({ image: "x", layer: "cccccccccccc", status: "Downloading", current: 500, total: 1_000 });
    expect(tracker.status()).toMatchObject({
      image: "127.0.0.1:5000/app:v1",
      layers: 3,
      layersDone: 1,
      bytesDone: 1_500,
      bytesTotal: 5_000,
      status: "Downloading",
    });
    // Download complete counts the whole layer; extraction progress does not add bytes twice.
    tracker.add({ image: "x", layer: "cccccccccccc", status: "Download complete" });
    tracker.add({ image: "x", layer: "cccccccccccc", status: "Extracting", current: 10, total: 1_000 });
    tracker.add({ image: "x", layer: "cccccccccccc", status: "Pull complete" });
    expect(tracker.status()).toMatchObject({ layers: 3, layersDone: 2, bytesDone: 2_000, bytesTotal: 5_000 });
  });
});
