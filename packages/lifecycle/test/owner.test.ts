import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { OWNER_LABELS } from "../src/index.ts";
import { isOwnedByThisProcess, ownerLabels, ownerStatus, processStartToken } from "../src/owner.ts";

describe("owner labels", () => {
  it("name this process, and this process is alive", () => {
    const labels = ownerLabels();
    expect(labels[OWNER_LABELS.pid]).toBe(String(process.pid));
    expect(labels[OWNER_LABELS.started]).toBe(processStartToken(process.pid));
    expect(ownerStatus(labels)).toEqual({ alive: true, reason: `its owner (pid ${process.pid}) is running` });
    expect(isOwnedByThisProcess(labels)).toBe(true);
    expect(isOwnedByThisProcess({ ...labels, [OWNER_LABELS.pid]: "1" })).toBe(false);
  });

  it("has no start token for a process that exited", async () => {
    const { stdout } = await execa(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    expect(processStartToken(Number(stdout))).toBeUndefined();
    expect(ownerStatus({ ...ownerLabels(), [OWNER_LABELS.pid]: stdout }).alive).toBe(false);
  });

  it.runIf(process.platform === "linux")("treats a different boot id as a reboot: the owner is gone", () => {
    expect(ownerLabels()[OWNER_LABELS.bootId]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ownerStatus({ ...ownerLabels(), [OWNER_LABELS.bootId]: "another-boot" })).toEqual({
      alive: false,
      reason: "its owner ran before the last reboot",
    });
  });
});
