import { describe, expect, it } from "vitest";
import { vetExtraArgs } from "../src/extra-args.ts";

function codes(extraArgs: string[], networkMode = "bridge"): string[] {
  return vetExtraArgs(extraArgs, networkMode).warnings.map((warning) => warning.code);
}

describe("vetExtraArgs: pass-through", () => {
  it("keeps ordinary options in order, untouched", () => {
    const args = [
      "--cap-drop=ALL",
      "--init",
      "--log-driver",
      "none",
      "-p",
      "127.0.0.1:8080:80",
      "--env-file",
      "x.env",
    ];
    expect(vetExtraArgs(args, "bridge")).toEqual({ args, warnings: [], mountTargets: [] });
  });
});

describe("vetExtraArgs: -i / --rm are not added twice", () => {
  it.each([
    [["--rm"], []],
    [["-i"], []],
    [["--interactive"], []],
    [["--rm=true", "--init"], ["--init"]],
    [["-it"], ["-t"]],
    [["-ti"], ["-t"]],
    [["-itd"], ["-td"]],
    [
      ["-iv", "/a:/b"],
      ["-v", "/a:/b"],
    ],
  ])("%j → %j", (input, expected) => {
    const vetted = vetExtraArgs(input, "bridge");
    expect(vetted.args).toEqual(expected);
    expect(vetted.warnings.map((warning) => warning.code)).toContain("DUPLICATE_FLAG");
  });

  it.each([["--rm=false"], ["-i=false"], ["--interactive=0"]])("%s is dropped as an override", (arg) => {
    const vetted = vetExtraArgs([arg], "bridge");
    expect(vetted.args).toEqual([]);
    expect(vetted.warnings.map((warning) => warning.code)).toEqual(["REQUIRED_FLAG_OVERRIDE"]);
  });
});

describe("vetExtraArgs: managed flags", () => {
  it.each([
    [["--name", "evil"], []],
    [["--name=evil", "--init"], ["--init"]],
    [["--cidfile=/tmp/c"], []],
    [["--label", "io.mcpproxy.server=other"], []],
    [["-l", "io.mcpproxy.managed-by=x"], []],
    [["--label=io.mcpproxy.instance=x"], []],
  ])("%j → %j", (input, expected) => {
    const vetted = vetExtraArgs(input, "bridge");
    expect(vetted.args).toEqual(expected);
    expect(vetted.warnings.map((warning) => warning.code)).toEqual(["MANAGED_FLAG_OVERRIDE"]);
  });

  it("keeps the user's own labels", () => {
    expect(vetExtraArgs(["--label", "team=a"], "bridge")).toMatchObject({
      args: ["--label", "team=a"],
      warnings: [],
    });
  });
});

describe("vetExtraArgs: risky options warn and pass through", () => {
  it.each<[string[], string]>([
    [["--privileged"], "PRIVILEGED"],
    [["--privileged=true"], "PRIVILEGED"],
    [["--pid=host"], "HOST_NAMESPACE"],
    [["--pid", "host"], "HOST_NAMESPACE"],
    [["--ipc=host"], "HOST_NAMESPACE"],
    [["--userns=host"], "HOST_NAMESPACE"],
    [["--network=host"], "NETWORK_HOST"],
    [["--net", "host"], "NETWORK_HOST"],
    [["--network=my-net"], "NETWORK_OVERRIDE"],
    [["--memory=4g"], "SETTING_OVERRIDE"],
    [["-m", "4g"], "SETTING_OVERRIDE"],
    [["--cpus", "8"], "SETTING_OVERRIDE"],
    [["-v", "/:/host"], "DANGEROUS_MOUNT"],
    [["--volume=/var/run/docker.sock:/var/run/docker.sock"], "DANGEROUS_MOUNT"],
    [["-v", "~/.ssh:/root/.ssh:ro"], "DANGEROUS_MOUNT"],
    [["--mount", "type=bind,source=/,target=/host"], "DANGEROUS_MOUNT"],
    [["--mount=type=bind,src=/var/run/docker.sock,dst=/s"], "DANGEROUS_MOUNT"],
    [["--cap-add=SYS_ADMIN"], "CAP_ADD"],
    [["--cap-add", "all"], "CAP_ADD"],
    [["--cap-add=CAP_SYS_PTRACE"], "CAP_ADD"],
    [["--security-opt", "seccomp=unconfined"], "SECURITY_OPT_UNCONFINED"],
    [["--security-opt=apparmor:unconfined"], "SECURITY_OPT_UNCONFINED"],
    [["--security-opt=label=disable"], "SECURITY_OPT_UNCONFINED"],
    [["-t"], "TTY"],
    [["--tty"], "TTY"],
    [["-d"], "DETACH"],
    [["-e", "TOKEN=abc"], "ENV_VALUE_IN_ARGV"],
    [["--env=TOKEN=abc"], "ENV_VALUE_IN_ARGV"],
  ])("%j → %s", (input, code) => {
    const vetted = vetExtraArgs(input, "bridge");
    expect(vetted.args).toEqual(input);
    expect(vetted.warnings.map((warning) => warning.code)).toEqual([code]);
    expect(vetted.warnings[0]?.message).toBeTypeOf("string");
  });

  it("does not warn for what network_mode already says, or harmless values", () => {
    expect(codes(["--network=host"], "host")).toEqual([]);
    expect(codes(["--network", "none"], "none")).toEqual([]);
    expect(codes(["--privileged=false"])).toEqual([]);
    expect(codes(["--cap-add=NET_BIND_SERVICE", "--pid=container:x", "-v", "/home/me/proj:/w"])).toEqual([]);
    expect(codes(["-e", "NAME_ONLY"])).toEqual([]);
  });

  it("never puts an env value into a warning", () => {
    const [warning] = vetExtraArgs(["-e", "TOKEN=s3cr3t"], "bridge").warnings;
    expect(JSON.stringify(warning)).not.toContain("s3cr3t");
    expect(warning?.arg).toBe("-e TOKEN=***");
  });
});

describe("vetExtraArgs: structure", () => {
  it("warns about positional tokens, which docker would take as the image", () => {
    const vetted = vetExtraArgs(["ubuntu", "--init", "--", "x"], "bridge");
    expect(vetted.args).toEqual(["ubuntu", "--init", "--", "x"]);
    expect(vetted.warnings.map((warning) => [warning.code, warning.arg])).toEqual([
      ["POSITIONAL_EXTRA_ARG", "ubuntu"],
      ["POSITIONAL_EXTRA_ARG", "--"],
      ["POSITIONAL_EXTRA_ARG", "x"],
    ]);
  });

  it("warns about a value flag left without its value", () => {
    expect(codes(["--init", "--cap-drop"])).toEqual(["MISSING_FLAG_VALUE"]);
  });

  it("collects mount targets for the read-only /tmp decision", () => {
    expect(
      vetExtraArgs(
        ["-v", "cache:/data/", "--tmpfs", "/tmp:size=1m", "--mount", "type=tmpfs,target=/run"],
        "bridge",
      ).mountTargets,
    ).toEqual(["/data", "/tmp", "/run"]);
  });
});
