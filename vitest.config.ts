import { defineConfig } from "vitest/config";
import { workspaceProjects } from "./vitest.projects.ts";

// `pnpm test` runs every project in one run with one summary; `pnpm test:unit`
// only the Docker-free ones (see vitest.projects.ts for the split).
export default defineConfig({
  test: {
    projects: workspaceProjects(),
    // Docker-bound test files mostly wait on the engine, not the CPU: run more
    // files at once than the default (cores - 1, i.e. one worker on 2 cores).
    maxWorkers: 4,
  },
});
