// Which command groups a run loads: only the invoked one, none for --version, all for help.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createContext } from "../src/io.ts";
import { createProgram, invokedCommand } from "../src/program.ts";

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
const ctx = () => createContext({ stdout: sink(), stderr: sink(), env: { NO_COLOR: "1" } });
const ALL = ["serve", "ui", "doctor", "isolation", "servers", "activity", "containers", "images", "config"];

describe("invokedCommand", () => {
  it("finds the command after global options, skipping option values", () => {
    expect(invokedCommand(["serve"])).toBe("serve");
    expect(invokedCommand(["--config", "servers", "config", "schema"])).toBe("config");
    expect(invokedCommand(["-c", "x.json", "--log-level", "debug", "doctor", "github"])).toBe("doctor");
  });

  it("needs no command for a bare --version or -v", () => {
    expect(invokedCommand(["--version"])).toBe("none");
    expect(invokedCommand(["-v"])).toBe("none");
  });

  it("needs every command for help, no command, or an unknown word", () => {
    expect(invokedCommand([])).toBeUndefined();
    expect(invokedCommand(["--help"])).toBeUndefined();
    expect(invokedCommand(["--version", "--help"])).toBeUndefined();
    expect(invokedCommand(["serv"])).toBeUndefined();
  });
});

describe("createProgram", () => {
  it("registers every command group without user args", async () => {
    const program = await createProgram(ctx());
    expect(program.commands.map((command) => command.name())).toEqual(ALL);
  });

  it("registers only the invoked group, and none for --version", async () => {
    expect((await createProgram(ctx(), ["config", "schema"])).commands.map((c) => c.name())).toEqual([
      "config",
    ]);
    expect((await createProgram(ctx(), ["ui", "--print"])).commands.map((c) => c.name())).toEqual(["ui"]);
    expect((await createProgram(ctx(), ["--version"])).commands).toEqual([]);
    expect((await createProgram(ctx(), ["nope"])).commands.map((c) => c.name())).toEqual(ALL);
  });
});
