import { defaultServerConditions } from "vite";
import { defineProject, type ViteUserConfig } from "vitest/config";

// Resolve workspace packages from their TypeScript sources (the "@mcpproxy/source"
// export condition), so tests never need a prior build.
const conditions = ["@mcpproxy/source", ...defaultServerConditions];

/** unit: no Docker, seconds. docker: talks to the engine. slow: builds, packs, installs (no Docker). */
export type ProjectKind = "unit" | "docker" | "slow";

export interface ProjectOptions {
  name: string;
  kind?: ProjectKind;
  /** Test files, relative to the project root. Default: test/**\/*.test.ts */
  include?: string[];
}

const TIMEOUTS: Record<ProjectKind, { testTimeout: number; hookTimeout: number }> = {
  // A hang guard, not a speed target: a unit test's first import of a large module graph (the CLI's
  // command groups, the server) takes over 10 s while `pnpm test` runs 160 files on 2 loaded cores.
  unit: { testTimeout: 30_000, hookTimeout: 30_000 },
  docker: { testTimeout: 120_000, hookTimeout: 180_000 },
  slow: { testTimeout: 120_000, hookTimeout: 900_000 },
};

/** One Vitest project's config (the root config builds these per package and kind). */
export function projectConfig({ name, kind = "unit", include = ["test/**/*.test.ts"] }: ProjectOptions) {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@mcpproxy/source"] } },
    test: {
      name,
      environment: "node" as const,
      include,
      ...TIMEOUTS[kind],
      globalSetup: [
        new URL("./tests/fixtures/src/deps-setup.ts", import.meta.url).pathname,
        ...(kind === "docker"
          ? [new URL("./tests/fixtures/src/global-setup.ts", import.meta.url).pathname]
          : []),
      ],
    },
  };
}

/** A package's own vitest.config.ts (`vitest run` inside the package runs all its files). */
export function defineMcpproxyProject(options: ProjectOptions): ViteUserConfig {
  return defineProject(projectConfig(options));
}
