// Building prepared images: resolve on the host, build with the engine's
// classic builder from a temporary context, tag only a finished image (an
// interrupted or failed build leaves no tag), one build per content hash in
// this process however many servers share it, and reuse an image whose hash
// is already tagged (no registry traffic) unless an update is asked for.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  BUILD_ID_ARG,
  buildRecipe,
  PrepareError,
  preparedHash,
  preparedTag,
  readPreparedLabels,
  type BuildRecipe,
  type PackageSpec,
  type PreparedLabels,
} from "@mcpproxy/prepare";
import { execa } from "execa";
import { dockerBinary } from "./docker-binary.ts";
import { dockerEnv, isConnectFailure, runDocker } from "./docker-cli.ts";
import { joinSharedBuild } from "./prepare-shared.ts";
import { newBuildId, removeInstallStage } from "./prepare-stage.ts";
import { pullImage } from "./pull.ts";
import {
  readNpmHostSettings,
  resolveNpmPackage,
  type NpmHostOptions,
  type NpmHostSettings,
} from "./prepare-resolve.ts";
import type { DockerCliOptions } from "./types.ts";

/** Progress of one prepare, for REST/CLI/logs. */
export interface PrepareProgress {
  server: string;
  tag: string;
  phase: "base-image" | "resolve" | "build" | "tag" | "reused" | "done";
  /** Classic-builder step, e.g. 3 of 9. */
  step?: number | undefined;
  totalSteps?: number | undefined;
  /** One line of output (npm's, the builder's), or a sentence about the phase. */
  message: string;
}

export interface PrepareImageOptions {
  /** The server the image is for (names the tag). */
  server: string;
  spec: PackageSpec;
  /** The runtime image to build FROM (as resolved by runtime-detect), e.g. "node:20". */
  baseImage: string;
  docker?: DockerCliOptions | undefined;
  /** Re-resolve and rebuild even when the image for this hash exists (`images prepare --update`). */
  update?: boolean | undefined;
  /**
   * Network of the install step (default "host": the install only talks to the
   * registry, and engines started with --iptables=false give bridge builds no route out).
   */
  buildNetwork?: string | undefined;
  /** Build without the engine's layer cache (`--no-cache`): measures a true first build. */
  noCache?: boolean | undefined;
  /** How npm is run on the host for resolution (default: `npm` with process.env). */
  npm?: NpmHostOptions | undefined;
  onProgress?: ((progress: PrepareProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface PreparedImage {
  /** `mcpproxy-prepared/<server>:<hash>`. */
  tag: string;
  /** Full image id (sha256:…). */
  imageId: string;
  hash: string;
  labels: PreparedLabels;
  /** false when an existing image was reused. */
  built: boolean;
  /** Where the registry settings and CA certificates of the build came from (empty when reused). */
  settingsSources: string[];
}

async function inspectImage(
  ref: string,
  docker: DockerCliOptions | undefined,
): Promise<{ id: string; labels: Record<string, string> } | undefined> {
  const result = await runDocker(
    ["image", "inspect", "--format", "{{json .Id}} {{json .Config.Labels}}", ref],
    { docker },
  );
  if (!result.failed) {
    const [id, labels] = result.stdout.trim().split(" ", 2);
    return {
      id: JSON.parse(id ?? '""') as string,
      labels: (JSON.parse(labels ?? "null") ?? {}) as Record<string, string>,
    };
  }
  if (/no such image/i.test(result.stderr)) return undefined;
  throw new PrepareError(
    isConnectFailure(result) ? "ENGINE_UNAVAILABLE" : "BUILD_FAILED",
    `docker image inspect ${ref}: ${result.failure}`,
  );
}

async function baseImageId(options: PrepareImageOptions, tag: string): Promise<string> {
  const found = await inspectImage(options.baseImage, options.docker);
  if (found !== undefined) return found.id;
  options.onProgress?.({
    server: options.server,
    tag,
    phase: "base-image",
    message: `pulling ${options.baseImage}`,
  });
  try {
    await pullImage(options.baseImage, { docker: options.docker, signal: options.signal });
  } catch (cause) {
    throw new PrepareError(
      "BASE_IMAGE_MISSING",
      `the runtime image ${options.baseImage} is not present and cannot be pulled`,
      {
        server: options.server,
        cause,
        fix: `pull it (\`docker pull ${options.baseImage}\`) or set isolation.image to an image that is present`,
      },
    );
  }
  const pulled = await inspectImage(options.baseImage, options.docker);
  if (pulled === undefined)
    throw new PrepareError("BASE_IMAGE_MISSING", `${options.baseImage} vanished after its pull`, {
      server: options.server,
    });
  return pulled.id;
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;
const INSTALLER_LINE = /^(?:npm (?:error|ERR!)|mcpproxy: |ERROR: |error: |× )/;

interface BuildOutcome {
  imageId: string;
  settingsSources: string[];
}

async function buildOnce(
  options: PrepareImageOptions,
  baseId: string,
  hash: string,
  tag: string,
): Promise<BuildOutcome> {
  const { spec, server } = options;
  const unsupported = unpreparableReason(spec);
  if (unsupported !== undefined) {
    throw new PrepareError("INVALID_INPUT", unsupported, {
      server,
      package: spec.package.raw,
      fix: 'leave "prepare" off for this server (the uvx/pipx start wrapper installs the launcher at start)',
    });
  }
  const progress = (
    phase: PrepareProgress["phase"],
    message: string,
    step?: number,
    totalSteps?: number,
  ): void => options.onProgress?.({ server, tag, phase, message, step, totalSteps });
  const npm = { ...options.npm, signal: options.signal };
  const settings: NpmHostSettings = await readNpmHostSettings(npm);
  progress(
    "resolve",
    `resolving ${[spec.package, ...spec.extra].map((ref) => ref.raw).join(", ")} with ${settings.sources.join("; ")}`,
  );
  const resolved = [];
  for (const ref of [spec.package, ...spec.extra]) {
    const pkg = await resolveNpmPackage(ref, npm);
    progress("resolve", `${ref.raw} → ${pkg.name}@${pkg.version} ${pkg.integrity}`);
    resolved.push(pkg);
  }
  const recipe = buildRecipe({
    server,
    baseImageId: baseId,
    spec,
    resolved,
    hash,
    tls: settings.tls,
    npmrc: settings.npmrc,
  });
  const imageId = await buildInContext(recipe, options, baseId, tag, progress);
  return { imageId, settingsSources: settings.sources };
}

type Progress = (
  phase: PrepareProgress["phase"],
  message: string,
  step?: number,
  totalSteps?: number,
) => void;

/** `docker build` of a recipe from a temporary context; the built image's id (untagged). */
async function buildInContext(
  recipe: BuildRecipe,
  options: PrepareImageOptions,
  baseId: string,
  tag: string,
  progress: Progress,
): Promise<string> {
  const context = await mkdtemp(path.join(tmpdir(), "mcpproxy-prepare-"));
  const buildId = newBuildId();
  try {
    await writeFile(path.join(context, "Dockerfile"), recipe.dockerfile);
    for (const [name, text] of Object.entries(recipe.files)) {
      await writeFile(path.join(context, name), text, { mode: 0o600 });
    }
    const iidFile = path.join(context, ".iid");
    const network = options.buildNetwork ?? "host";
    const cache = options.noCache === true ? ["--no-cache"] : [];
    const args = [
      "build",
      "--rm",
      "--force-rm",
      ...cache,
      "--build-arg",
      `${BUILD_ID_ARG}=${buildId}`,
      "--network",
      network,
      "--iidfile",
      iidFile,
      context,
    ];
    progress(
      "build",
      `docker build --network ${network} (FROM ${options.baseImage} ${baseId}; build ${buildId})`,
    );
    const child = execa(dockerBinary(options.docker), args, {
      env: dockerEnv(options.docker, { DOCKER_BUILDKIT: "0" }),
      extendEnv: false,
      reject: false,
      all: true,
      lines: false,
      cancelSignal: options.signal,
      forceKillAfterDelay: 2_000,
    });
    const output: string[] = [];
    for await (const line of child.iterable({ from: "all" })) {
      output.push(line);
      const step = STEP.exec(line);
      if (step) progress("build", step[3] ?? line, Number(step[1]), Number(step[2]));
      else progress("build", line);
    }
    const result = await child;
    const server = options.server;
    if (result.isCanceled) {
      throw new PrepareError("BUILD_CANCELED", `the build of ${tag} was canceled; no image was tagged`, {
        server,
      });
    }
    if (result.failed) {
      const lines = output.filter((line) => INSTALLER_LINE.test(line));
      const said = lines.length > 0 ? lines : output.slice(-5);
      throw new PrepareError("BUILD_FAILED", `the build of ${tag} failed:\n${said.join("\n")}`, {
        server,
        package: options.spec.package.raw,
        installerLines: lines,
        fix: "fix the package or its version in the server's args, then run `mcpproxy images prepare` again",
      });
    }
    return (await readFile(iidFile, "utf8")).trim();
  } finally {
    await rm(context, { recursive: true, force: true });
    const left = await removeInstallStage(buildId, options.docker);
    if (left !== undefined)
      progress("build", `could not remove the install stage's images (they hold the registry auth): ${left}`);
  }
}

async function tagImage(imageId: string, tag: string, docker: DockerCliOptions | undefined): Promise<void> {
  const result = await runDocker(["tag", imageId, tag], { docker });
  if (result.failed)
    throw new PrepareError(
      isConnectFailure(result) ? "ENGINE_UNAVAILABLE" : "BUILD_FAILED",
      `docker tag ${tag}: ${result.failure}`,
    );
}

/**
 * The prepared image of a server: reused when its content hash is already
 * tagged (no registry traffic), else resolved on the host, built and tagged.
 */
/**
 * Why this version cannot build a spec the parser accepts (undefined when it can): the
 * Python recipes exist, but resolving versions on the host needs PyPI, untested here.
 */
export function unpreparableReason(spec: PackageSpec): string | undefined {
  return spec.ecosystem === "npm"
    ? undefined
    : `preparing ${spec.runner} servers needs host-side Python resolution, which this version does not have; the server runs as configured`;
}

export type FindPreparedOptions = Pick<PrepareImageOptions, "server" | "spec" | "baseImage" | "docker">;

/**
 * The prepared image the current config of a server refers to, when it is
 * built: nothing is pulled, resolved or built. `tag` is set either way
 * (undefined only when the base image itself is missing).
 */
export async function findPreparedImage(
  options: FindPreparedOptions,
): Promise<{ tag: string; image: PreparedImage | undefined } | undefined> {
  const base = await inspectImage(options.baseImage, options.docker);
  if (base === undefined) return undefined;
  const hash = preparedHash({ baseImageId: base.id, spec: options.spec });
  const tag = preparedTag(options.server, hash);
  const found = await inspectImage(tag, options.docker);
  const labels = readPreparedLabels(found?.labels);
  if (found === undefined || labels === undefined) return { tag, image: undefined };
  return { tag, image: { tag, imageId: found.id, hash, labels, built: false, settingsSources: [] } };
}

export async function ensurePreparedImage(options: PrepareImageOptions): Promise<PreparedImage> {
  const provisional = preparedTag(options.server, "pending");
  const baseId = await baseImageId(options, provisional);
  const hash = preparedHash({ baseImageId: baseId, spec: options.spec });
  const tag = preparedTag(options.server, hash);
  const existing = options.update === true ? undefined : await inspectImage(tag, options.docker);
  const existingLabels = readPreparedLabels(existing?.labels);
  if (existing !== undefined && existingLabels !== undefined) {
    options.onProgress?.({
      server: options.server,
      tag,
      phase: "reused",
      message: `${tag} is prepared (${existingLabels.package.name}@${existingLabels.package.version})`,
    });
    return { tag, imageId: existing.id, hash, labels: existingLabels, built: false, settingsSources: [] };
  }
  const key = `${baseId}\0${hash}\0${options.update === true ? "update" : ""}`;
  // One build per (base image id, content hash) in this process, shared by every server asking for it.
  const outcome = await joinSharedBuild<PrepareProgress, BuildOutcome>(
    key,
    (signal, emit) => buildOnce({ ...options, signal, onProgress: emit }, baseId, hash, tag),
    {
      signal: options.signal,
      // Another server's build: its events, told as this server's.
      onProgress:
        options.onProgress === undefined
          ? undefined
          : (progress) => options.onProgress?.({ ...progress, server: options.server, tag }),
    },
  );
  options.onProgress?.({
    server: options.server,
    tag,
    phase: "tag",
    message: `tagging ${outcome.imageId} as ${tag}`,
  });
  await tagImage(outcome.imageId, tag, options.docker);
  const built = await inspectImage(tag, options.docker);
  const labels = readPreparedLabels(built?.labels);
  if (built === undefined || labels === undefined)
    throw new PrepareError("BUILD_FAILED", `${tag} has no prepared-image labels after its build`, {
      server: options.server,
    });
  options.onProgress?.({
    server: options.server,
    tag,
    phase: "done",
    message: `${tag}: ${labels.package.name}@${labels.package.version}`,
  });
  return { tag, imageId: built.id, hash, labels, built: true, settingsSources: outcome.settingsSources };
}
