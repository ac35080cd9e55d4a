import { describe, expect, it } from "vitest";
import { booleanValue, scanFlags } from "../src/flags.ts";

describe("scanFlags", () => {
  it("reads long options with = and with a separate value", () => {
    const { flags, positional } = scanFlags(["--memory=1g", "--log-driver", "none", "--init", "img", "cmd"]);
    expect(flags.map((flag) => [flag.name, flag.value])).toEqual([
      ["memory", "1g"],
      ["log-driver", "none"],
      ["init", undefined],
    ]);
    expect(positional).toBe(4);
  });

  it("takes the next token as a value even when it starts with '-' (as pflag does)", () => {
    const { flags, positional } = scanFlags(["-e", "-x", "img"]);
    expect(flags).toEqual([
      { name: "env", value: "-x", index: 0, letter: 1, valueAt: { index: 1, offset: 0 } },
    ]);
    expect(positional).toBe(2);
  });

  it("splits combined boolean shorthands and attached short values", () => {
    const { flags } = scanFlags(["-it", "-vfoo:/bar", "-e=A=1", "-i=false", "-dv", "/x:/y"]);
    expect(flags.map((flag) => [flag.name, flag.value])).toEqual([
      ["interactive", undefined],
      ["tty", undefined],
      ["volume", "foo:/bar"],
      ["env", "A=1"],
      ["interactive", "false"],
      ["detach", undefined],
      ["volume", "/x:/y"],
    ]);
  });

  it("reports a value flag with nothing after it", () => {
    expect(scanFlags(["--cap-drop"]).flags[0]).toMatchObject({ name: "cap-drop", missingValue: true });
    expect(scanFlags(["-v"]).flags[0]).toMatchObject({ name: "volume", missingValue: true });
  });

  it("stops at '--', '-' and the first positional", () => {
    expect(scanFlags(["--init", "--", "x"]).positional).toBe(1);
    expect(scanFlags(["-", "x"]).positional).toBe(0);
    expect(scanFlags(["run", "--rm", "img"], 1).positional).toBe(2);
  });

  it("keeps an unknown shorthand token whole", () => {
    expect(scanFlags(["-Z", "img"]).flags).toEqual([{ name: "-Z", value: undefined, index: 0 }]);
  });
});

describe("booleanValue", () => {
  it.each([
    [undefined, true],
    ["true", true],
    ["1", true],
    ["T", true],
    ["false", false],
    ["0", false],
    ["F", false],
    ["yes", undefined],
  ])("%j → %j", (value, expected) => {
    expect(booleanValue(value)).toBe(expected);
  });
});
