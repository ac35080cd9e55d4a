// Host-side npm settings: which .npmrc lines reach the build, and how the
// user's config (registry, cafile, NODE_EXTRA_CA_CERTS) is read. npm runs for
// real with a temporary user config; no registry traffic.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readNpmHostSettings, registryAuthLines } from "../src/index.ts";

describe("registryAuthLines", () => {
  const npmrc = [
    "registry=https://npm.corp.example/repo/",
    "//npm.corp.example/repo/:_authToken=${CORP_TOKEN}",
    "//npm.corp.example/:always-auth=true",
    "//registry.npmjs.org/:_authToken=public-token",
    "//npm.corp.example/repo/:color=false",
    "cafile=/x.pem",
  ].join("\n");

  it("keeps only the auth lines of the registry the build uses, with ${VAR} expanded", () => {
    expect(registryAuthLines(npmrc, "https://npm.corp.example/repo/", { CORP_TOKEN: "t0k" })).toEqual([
      "//npm.corp.example/repo/:_authToken=t0k",
      "//npm.corp.example/:always-auth=true",
    ]);
    expect(registryAuthLines(npmrc, "https://registry.npmjs.org/")).toEqual([
      "//registry.npmjs.org/:_authToken=public-token",
    ]);
  });
});

describe("readNpmHostSettings", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "prepare-npmrc-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the registry, its auth and the CA files from the user's npm config, and says where from", async () => {
    const userconfig = path.join(dir, "npmrc");
    const cafile = path.join(dir, "bundle.pem");
    const extra = path.join(dir, "extra.pem");
    writeFileSync(cafile, "BUNDLE PEM\n");
    writeFileSync(extra, "EXTRA PEM\n");
    writeFileSync(
      userconfig,
      `registry=https://npm.corp.example/\ncafile=${cafile}\n//npm.corp.example/:_authToken=abc\n//other.example/:_authToken=no\n`,
    );
    const env = {
      PATH: process.env["PATH"],
      HOME: dir,
      npm_config_userconfig: userconfig,
      NODE_EXTRA_CA_CERTS: extra,
    };
    const settings = await readNpmHostSettings({ env });
    expect(settings.registry).toBe("https://npm.corp.example/");
    expect(settings.npmrc).toBe("registry=https://npm.corp.example/\n//npm.corp.example/:_authToken=abc\n");
    expect(settings.tls).toEqual({ extraCaCerts: "EXTRA PEM\n", caBundle: "BUNDLE PEM\n" });
    expect(settings.sources.join("\n")).toContain(`NODE_EXTRA_CA_CERTS=${extra}`);
    expect(settings.sources.join("\n")).toContain(`npm cafile=${cafile}`);
    expect(settings.sources.join("\n")).not.toContain("abc");
  });

  it("names the setting when a CA file cannot be read", async () => {
    const userconfig = path.join(dir, "npmrc");
    writeFileSync(userconfig, "");
    const env = {
      PATH: process.env["PATH"],
      HOME: dir,
      npm_config_userconfig: userconfig,
      NODE_EXTRA_CA_CERTS: path.join(dir, "missing.pem"),
    };
    await expect(readNpmHostSettings({ env })).rejects.toMatchObject({
      code: "RESOLVE_FAILED",
      message: expect.stringContaining("NODE_EXTRA_CA_CERTS") as string,
    });
  });
});
