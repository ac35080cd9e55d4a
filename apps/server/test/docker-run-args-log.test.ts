// Issue 14 #5: the main log's `docker_run_args` line is the argv that was really
// executed (read back from the running docker CLI's /proc/<pid>/cmdline), with
// the secrets masked and nothing else changed.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { MASK } from "@mcpproxy/docker-args";
import { ensureTestImages } from "@mcpproxy/test-images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningProxy } from "../src/index.ts";
import {
  rest,
  startTestProxy,
  tempDir,
  uniqueName,
  waitReady,
  type ServerJson,
  type TempDir,
} from "./helpers.ts";

const KEY = "argv-log-key";
const SECRET = "s3cret-token-4711";

/** The argv of the live process whose command line contains `needle` (Linux /proc). */
async function liveArgv(needle: string): Promise<string[] | undefined> {
  for (const pid of (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    const argv = cmdline.split("\0").filter((arg, i, all) => arg !== "" || i < all.length - 1);
    if (argv.includes(needle)) return argv;
  }
  return undefined;
}

describe.skipIf(process.platform !== "linux")("the docker_run_args log line", () => {
  const name = uniqueName("argv");
  let tmp: TempDir;
  let proxy: RunningProxy;

  beforeAll(async () => {
    const images = await ensureTestImages();
    tmp = await tempDir();
    proxy = await startTestProxy(tmp, {
      api_key: KEY,
      mcpServers: [
        {
          name,
          command: "mcp-server-everything",
          args: ["stdio", `--token=${SECRET}`],
          env: { API_TOKEN: SECRET },
          // --env-file needs the CLI path (the API path runs no docker process whose argv could be read).
          isolation: {
            enabled: true,
            image: images.everything,
            network_mode: "none",
            extra_args: ["--env-file=/dev/null"],
          },
        },
      ],
    });
    await waitReady(proxy.url, KEY, [name]);
  });

  afterAll(async () => {
    await proxy?.stop();
    await tmp?.remove();
  });

  it("equals the executed argv with the secrets masked", async () => {
    const { body } = await rest<ServerJson>(proxy.url, `/servers/${name}`, { apiKey: KEY });
    const containerName = body.isolation.container_name ?? "";
    const executed = await liveArgv(`--name=${containerName}`);
    expect(executed, `a docker CLI running ${containerName}`).toBeDefined();
    const lines = (await readFile(path.join(tmp.dir, "logs", "main.log"), "utf8"))
      .split("\n")
      .filter((line) => line.includes('"docker_run_args"'))
      .map((line) => JSON.parse(line) as { server?: string; docker_run_args: string[] });
    const logged = lines.find((line) => line.server === name)?.docker_run_args;
    const expected = (executed ?? []).slice(1).map((arg) => arg.replaceAll(SECRET, MASK));
    expect(logged).toEqual(expected);
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });
});
