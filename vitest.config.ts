import { defineConfig } from "vitest/config";

// Every workspace package/app is a Vitest project with its own vitest.config.ts;
// `pnpm test` at the root runs them all in one run with one summary.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tests/fixtures", "tests/reliability", "tests/install"],
    // Docker-bound test files mostly wait on the engine, not the CPU: run more
    // files at once than the default (cores - 1, i.e. one worker on 2 cores).
    maxWorkers: 4,
  },
});
