// The registry auth of a build never stays on the engine: the classic builder
// keeps the install stage as untagged images (its cache), and those layers
// hold the .npmrc with the token; they are removed after the build. Real
// engine, real registry (a public package: the token is never checked).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseRunnerCommand, PREPARED_LABELS } from "@mcpproxy/prepare";
import { ensureNpmTestImage } from "@mcpproxy/test-images";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePreparedImage } from "../src/index.ts";
import { RUN_PREFIX } from "./helpers.ts";

const SECRET = `mcpproxy-test-secret-${RUN_PREFIX}`;
const server = `${RUN_PREFIX}-secret`;
let dir: string;
let tag: string | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mcpproxy-npmrc-"));
  await writeFile(path.join(dir, "npmrc"), `//registry.npmjs.org/:_authToken=${SECRET}\n`);
});

afterAll(async () => {
  if (tag !== undefined) await execa("docker", ["image", "rm", tag], { reject: false });
  await rm(dir, { recursive: true, force: true });
});

/** Every image (intermediate ones too) of one build's install stage. */
async function stageImages(buildId: string): Promise<string[]> {
  const { stdout } = await execa("docker", [
    "image",
    "ls",
    "--all",
    "--quiet",
    "--no-trunc",
    "--filter",
    `label=${PREPARED_LABELS.stage}=${buildId}`,
  ]);
  return stdout.split("\n").filter(Boolean);
}

describe("prepared-image builds and registry auth", () => {
  it("leaves no image layer holding the .npmrc token after the build", async () => {
    const parsed = parseRunnerCommand("npx", ["-y", "@modelcontextprotocol/server-memory"]);
    if (!parsed.ok) throw new Error(parsed.reason.message);
    // This build's id (its progress names it): other test files build at the same time.
    let buildId: string | undefined;
    const prepared = await ensurePreparedImage({
      onProgress: (progress) => {
        buildId ??= /; build ([0-9a-f]+)\)/.exec(progress.message)?.[1];
      },
      server,
      spec: parsed.spec,
      baseImage: await ensureNpmTestImage(),
      update: true,
      noCache: true,
      npm: { env: { ...process.env, NPM_CONFIG_USERCONFIG: path.join(dir, "npmrc") } },
    });
    tag = prepared.tag;
    expect(prepared.settingsSources.join("\n")).toMatch(/registry auth from/);

    // The install stage's images (which held /mcpproxy-build/npmrc) are gone.
    expect(buildId).toMatch(/^[0-9a-f]{16}$/);
    expect(await stageImages(buildId ?? "")).toEqual([]);

    // The final image and each of its parent layers: no token anywhere in their files.
    const { stdout: history } = await execa("docker", ["history", "--no-trunc", "--quiet", prepared.tag]);
    const layers = history.split("\n").filter((id) => id.startsWith("sha256:"));
    expect(layers.length).toBeGreaterThan(0);
    const saved = await execa("sh", ["-c", `docker save ${prepared.tag} | grep -a -c ${SECRET} || true`]);
    expect(saved.stdout.trim()).toBe("0");
  }, 300_000);
});
