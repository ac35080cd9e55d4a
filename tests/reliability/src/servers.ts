// Config builders: temp dirs, proxy configs, and the upstream servers the
// tests run (always isolated with network_mode "none", never a pull).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTempDir } from "@mcpproxy/test-helpers";

export { uniqueName } from "@mcpproxy/test-helpers";

/** The host folder holding the fixture server; mounted read-only at /fixtures in containers. */
export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url)).replace(/\/$/, "");
export const fixtureServerFile = path.join(fixturesDir, "stdio-server.ts");

export interface TempDir {
  dir: string;
  remove(): Promise<void>;
}

export async function tempDir(prefix = "mcpproxy-reliability"): Promise<TempDir> {
  const created = await createTempDir(prefix);
  return { dir: created.path, remove: created.cleanup };
}

export async function writeConfig(file: string, config: Record<string, unknown>): Promise<void> {
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
}

export interface FixtureServerOptions {
  /** The test image with node (mcpproxy-test/node:...). */
  image: string;
  /** Extra arguments of the fixture server (--stderr-mb, --stdout-garbage, --ignore-stdin-eof, ...). */
  flags?: string[];
  isolation?: Record<string, unknown>;
}

/** The reliability fixture server, isolated in the node test image with the fixtures folder mounted read-only. */
export function fixtureServer(name: string, options: FixtureServerOptions): Record<string, unknown> {
  return {
    name,
    command: "node",
    args: ["/fixtures/stdio-server.ts", "--name", name, ...(options.flags ?? [])],
    isolation: {
      enabled: true,
      image: options.image,
      network_mode: "none",
      volumes: [`${fixturesDir}:/fixtures:ro`],
      ...options.isolation,
    },
  };
}

/** The api_key of proxyConfig when none is given (clients pass proxy.apiKey). */
export const RELIABILITY_API_KEY = "reliability-key-0123456789abcdef0123456789";

export interface ProxyConfigOptions {
  servers: Record<string, unknown>[];
  everythingImage?: string;
  apiKey?: string;
  toolsMode?: "retrieve" | "direct";
  logLevel?: "error" | "warn" | "info" | "debug";
}

/** A proxy config: loopback listen, isolation on with network "none", npx → the everything test image. */
export function proxyConfig(options: ProxyConfigOptions): Record<string, unknown> {
  return {
    // startProxy is given listen 127.0.0.1:0 (a free port); the file needs a valid one.
    listen: "127.0.0.1:8080",
    api_key: options.apiKey ?? RELIABILITY_API_KEY,
    log_level: options.logLevel ?? "info",
    tools_mode: options.toolsMode ?? "retrieve",
    docker_isolation: {
      enabled: true,
      network_mode: "none",
      timeout: "60s",
      ...(options.everythingImage === undefined ? {} : { default_images: { npx: options.everythingImage } }),
    },
    mcpServers: options.servers,
  };
}
