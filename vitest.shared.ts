import { defaultServerConditions } from "vite";
import { defineProject, type ViteUserConfig } from "vitest/config";

// Resolve workspace packages from their TypeScript sources (the "@mcpproxy/source"
// export condition), so tests never need a prior build.
const conditions = ["@mcpproxy/source", ...defaultServerConditions];

export interface ProjectOptions {
  name: string;
  /** Tests that talk to the Docker engine: longer timeouts, shared images built once. */
  docker?: boolean;
  /** Slow but Docker-free (builds, packs, installs): long timeouts, no images. */
  slow?: boolean;
}

export function defineMcpproxyProject({
  name,
  docker = false,
  slow = false,
}: ProjectOptions): ViteUserConfig {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@mcpproxy/source"] } },
    test: {
      name,
      environment: "node",
      include: ["test/**/*.test.ts"],
      testTimeout: docker || slow ? 120_000 : 10_000,
      hookTimeout: slow ? 900_000 : docker ? 180_000 : 10_000,
      ...(docker
        ? { globalSetup: [new URL("./tests/fixtures/src/global-setup.ts", import.meta.url).pathname] }
        : {}),
    },
  });
}
