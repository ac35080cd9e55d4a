// Hostile and malformed input: every case either throws a DockerArgsError naming
// the field, or yields an argv where the server's args sit unchanged after the
// image, no env value leaks into argv, and the container name is one Docker accepts.
import type { EffectiveIsolation, ServerConfig } from "@mcpproxy/config";
import { describe, expect, it } from "vitest";
import { buildDockerRunArgs } from "../src/build.ts";
import type { BuildOptions, DockerRunArgs } from "../src/types.ts";
import { server, settings, thrown } from "./fixtures.ts";

interface Case {
  what: string;
  server?: Partial<ServerConfig>;
  settings?: Partial<EffectiveIsolation>;
  options?: BuildOptions;
}

const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

function checkInvariants(result: DockerRunArgs, input: ServerConfig): void {
  const imageAt = result.argv.indexOf(result.image, 3);
  expect(imageAt).toBeGreaterThan(0);
  expect(result.argv.slice(imageAt + 2)).toEqual(input.args);
  expect(result.containerName).toMatch(DOCKER_NAME);
  expect(result.labels["io.mcpproxy.server"]).toBe(input.name);
  for (const value of Object.values(result.env)) {
    if (value.length >= 3) expect(result.argv.slice(0, imageAt).join("\n")).not.toContain(value);
  }
  expect(JSON.stringify(result.warnings)).not.toContain("s3cr3t");
}

const accepted: (Case & { check?: (result: DockerRunArgs) => void })[] = [
  {
    what: "name with spaces",
    server: { name: "my server" },
    check: (r) => expect(r.containerName).toBe("mcpproxy-my-server-s1"),
  },
  {
    what: "name with path traversal",
    server: { name: "srv/../../etc" },
    check: (r) => expect(r.containerName).toBe("mcpproxy-srv-..-..-etc-s1"),
  },
  {
    what: "name with no ASCII letter",
    server: { name: "日本語サーバー" },
    check: (r) => expect(r.containerName).toBe("mcpproxy-server-s1"),
  },
  {
    what: "name that looks like a flag",
    server: { name: "--privileged" },
    check: (r) => {
      expect(r.argv).toContain("--label=io.mcpproxy.server=--privileged");
      expect(r.argv).not.toContain("--privileged");
    },
  },
  { what: "name with shell metacharacters", server: { name: "a;rm -rf / && $(id)`x`" } },
  {
    what: "very long name",
    server: { name: "n".repeat(300) },
    check: (r) => expect(r.containerName).toHaveLength("mcpproxy-".length + 100 + "-s1".length),
  },
  { what: "name that is a label key=value", server: { name: "x=io.mcpproxy.managed-by=evil" } },
  {
    what: "args with spaces, quotes, $, newlines, leading '-' and docker flags",
    server: {
      args: [
        "--privileged",
        "-v",
        "/:/host",
        "it's",
        '"q"',
        "$(id)",
        "`id`",
        "a\nb",
        "",
        "--network=host",
        "--",
        "-",
      ],
    },
    check: (r) => expect(r.warnings).toEqual([]),
  },
  {
    what: "env values with newline, quotes, $ and flag-like text",
    server: { env: { A: "line1\nline2", B: 'it\'s "$(id)"', C: "--privileged", D: "s3cr3t-value" } },
    check: (r) => {
      expect(r.argv.filter((arg) => ["A", "B", "C", "D"].includes(arg))).toEqual(["A", "B", "C", "D"]);
      expect(r.env.B).toBe('it\'s "$(id)"');
    },
  },
  {
    what: "env key __proto__ stays an own entry",
    server: { env: JSON.parse('{"__proto__": "s3cr3t-proto"}') as Record<string, string> },
    check: (r) => {
      expect(Object.hasOwn(r.env, "__proto__")).toBe(true);
      expect(Object.getPrototypeOf(r.env)).toBe(Object.prototype);
    },
  },
  {
    what: "env key the docker CLI reads (DOCKER_HOST) goes inline with a warning",
    server: { env: { DOCKER_HOST: "tcp://evil:2375", path: "/evil/bin" } },
    check: (r) => {
      expect(r.env).toEqual({});
      expect(r.argv).toEqual(expect.arrayContaining(["DOCKER_HOST=tcp://evil:2375", "path=/evil/bin"]));
      expect(r.warnings.map((w) => w.code)).toEqual(["ENV_VALUE_IN_ARGV", "ENV_VALUE_IN_ARGV"]);
    },
  },
  {
    what: "extra_args --privileged",
    settings: { extra_args: ["--privileged"] },
    check: (r) => expect(r.warnings.map((w) => w.code)).toEqual(["PRIVILEGED"]),
  },
  {
    what: "extra_args trying to swap the image",
    settings: { extra_args: ["alpine", "sh"] },
    check: (r) =>
      expect(r.warnings.map((w) => w.code)).toEqual(["POSITIONAL_EXTRA_ARG", "POSITIONAL_EXTRA_ARG"]),
  },
  {
    what: "extra_args renaming the container",
    settings: { extra_args: ["--name", "evil", "--label=io.mcpproxy.managed-by=other"] },
    check: (r) => {
      expect(r.argv).not.toContain("evil");
      expect(r.argv.filter((arg) => arg.startsWith("--label=io.mcpproxy.managed-by"))).toHaveLength(1);
    },
  },
  {
    what: "extra_args repeating --rm and -i",
    settings: { extra_args: ["--rm", "-i", "--interactive=true"] },
    check: (r) => {
      expect(r.argv.filter((arg) => arg === "--rm" || arg === "-i")).toHaveLength(2);
      expect(r.warnings.map((w) => w.code)).toEqual(["DUPLICATE_FLAG", "DUPLICATE_FLAG", "DUPLICATE_FLAG"]);
    },
  },
  {
    what: "extra_args with the host network against network_mode none",
    settings: { network_mode: "none", extra_args: ["--network", "host", "--pid=host"] },
    check: (r) => expect(r.warnings.map((w) => w.code)).toEqual(["NETWORK_HOST", "HOST_NAMESPACE"]),
  },
  {
    what: "volumes of /, the docker socket and ~/.ssh",
    settings: { volumes: ["/:/host", "/var/run/docker.sock:/var/run/docker.sock", "~/.ssh:/root/.ssh:ro"] },
    check: (r) =>
      expect(r.warnings.map((w) => w.code)).toEqual([
        "DANGEROUS_MOUNT",
        "DANGEROUS_MOUNT",
        "DANGEROUS_MOUNT",
      ]),
  },
  {
    what: "volume spec that looks like a flag stays a -v value",
    settings: { volumes: ["--privileged"] },
    check: (r) => expect(r.argv[r.argv.indexOf("--privileged") - 1]).toBe("-v"),
  },
];

describe("hostile input that is accepted", () => {
  it.each(accepted)("$what", (c) => {
    const input = server(c.server);
    const result = buildDockerRunArgs(input, settings(c.settings), { nameSuffix: "s1", ...c.options });
    checkInvariants(result, input);
    c.check?.(result);
  });
});

const rejected: (Case & { code: string; field: string })[] = [
  { what: "empty name", server: { name: "" }, code: "INVALID_SERVER_NAME", field: "name" },
  { what: "name with a newline", server: { name: "a\nb" }, code: "INVALID_SERVER_NAME", field: "name" },
  { what: "empty command", server: { command: "" }, code: "INVALID_COMMAND", field: "command" },
  { what: "blank command", server: { command: "   " }, code: "INVALID_COMMAND", field: "command" },
  {
    what: "command with a newline",
    server: { command: "uvx\n--privileged" },
    code: "INVALID_COMMAND",
    field: "command",
  },
  {
    what: "docker.exe as command",
    server: { command: "C:\\bin\\docker.exe" },
    code: "CONTAINER_RUNTIME_COMMAND",
    field: "command",
  },
  { what: "arg with NUL", server: { args: ["ok", "a\0b"] }, code: "INVALID_ARG", field: "args[1]" },
  { what: "env key with =", server: { env: { "A=B": "x" } }, code: "INVALID_ENV_KEY", field: "env.A=B" },
  { what: "empty env key", server: { env: { "": "x" } }, code: "INVALID_ENV_KEY", field: "env." },
  {
    what: "env key like a flag",
    server: { env: { "--privileged": "x" } },
    code: "INVALID_ENV_KEY",
    field: "env.--privileged",
  },
  {
    what: "env key with newline",
    server: { env: { "A\nB": "x" } },
    code: "INVALID_ENV_KEY",
    field: "env.A\nB",
  },
  {
    what: "env value with NUL",
    server: { env: { TOKEN: "s3cr3t\0" } },
    code: "INVALID_ENV_VALUE",
    field: "env.TOKEN",
  },
  {
    what: "extra arg with NUL",
    settings: { extra_args: ["--init\0"] },
    code: "INVALID_EXTRA_ARG",
    field: "extra_args[0]",
  },
  { what: "empty volume", settings: { volumes: [""] }, code: "INVALID_VOLUME", field: "volumes[0]" },
  {
    what: "volume with newline",
    settings: { volumes: ["/a:/b\n--privileged"] },
    code: "INVALID_VOLUME",
    field: "volumes[0]",
  },
  {
    what: "image that is a flag",
    settings: { image: "--privileged" },
    code: "INVALID_IMAGE",
    field: "isolation.image",
  },
  {
    what: "image with a space",
    settings: { image: "python:3.11 --privileged" },
    code: "INVALID_IMAGE",
    field: "isolation.image",
  },
  {
    what: "default_images entry that is a flag",
    settings: { default_images: { uvx: "-v=/:/h" } },
    code: "INVALID_IMAGE",
    field: "default_images",
  },
  {
    what: "registry with a space",
    settings: { registry: "evil registry" },
    code: "INVALID_REGISTRY",
    field: "registry",
  },
  {
    what: "memory with a flag",
    settings: { memory_limit: "512m --privileged" },
    code: "INVALID_MEMORY_LIMIT",
    field: "memory_limit",
  },
  {
    what: "empty memory",
    settings: { memory_limit: "" },
    code: "INVALID_MEMORY_LIMIT",
    field: "memory_limit",
  },
  { what: "zero cpus", settings: { cpu_limit: "0" }, code: "INVALID_CPU_LIMIT", field: "cpu_limit" },
  {
    what: "cpus not a number",
    settings: { cpu_limit: "1.0;id" },
    code: "INVALID_CPU_LIMIT",
    field: "cpu_limit",
  },
  {
    what: "network with a space",
    settings: { network_mode: "host --privileged" },
    code: "INVALID_NETWORK_MODE",
    field: "network_mode",
  },
  {
    what: "relative working dir",
    settings: { working_dir: "app" },
    code: "INVALID_WORKING_DIR",
    field: "working_dir",
  },
  { what: "user with shell", settings: { user: "root; id" }, code: "INVALID_USER", field: "user" },
  {
    what: "cap_drop with a flag",
    settings: { cap_drop: ["ALL", "--privileged"] },
    code: "INVALID_CAP_DROP",
    field: "cap_drop[1]",
  },
  {
    what: "fractional pids_limit",
    settings: { pids_limit: 1.5 },
    code: "INVALID_PIDS_LIMIT",
    field: "pids_limit",
  },
  {
    what: "name suffix with a slash",
    options: { nameSuffix: "../x" },
    code: "INVALID_OPTION",
    field: "options.nameSuffix",
  },
  {
    what: "extra label in the managed namespace",
    options: { extraLabels: { "io.mcpproxy.server": "other" } },
    code: "INVALID_OPTION",
    field: "options.extraLabels.io.mcpproxy.server",
  },
  {
    what: "extra label key with a space",
    options: { extraLabels: { "a b": "x" } },
    code: "INVALID_OPTION",
    field: "options.extraLabels.a b",
  },
  { what: "empty cidfile", options: { cidFile: "" }, code: "INVALID_OPTION", field: "options.cidFile" },
  {
    what: "instance id with newline",
    options: { instanceId: "a\nb" },
    code: "INVALID_OPTION",
    field: "options.instanceId",
  },
  {
    what: "disabled isolation passed in",
    settings: { enabled: false as true },
    code: "ISOLATION_DISABLED",
    field: "isolation.enabled",
  },
];

describe("hostile input that is rejected", () => {
  it.each(rejected)("$what → $code", (c) => {
    const error = thrown(() =>
      buildDockerRunArgs(server(c.server), settings(c.settings), { nameSuffix: "s1", ...c.options }),
    );
    expect(error.code).toBe(c.code);
    expect(error.field).toBe(c.field);
    expect(error.message).toContain(c.field.split(".")[0]);
    expect(error.message).not.toContain("s3cr3t");
    expect(error.value).not.toContain("s3cr3t");
  });

  it("keeps the runtime-detect error as the cause", () => {
    const error = thrown(() => buildDockerRunArgs(server(), settings({ image: "Bad Image" })));
    expect(error.cause).toMatchObject({ name: "RuntimeDetectError", code: "INVALID_IMAGE" });
    expect(error.value).toBe("Bad Image");
  });
});
