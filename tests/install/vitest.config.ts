import { defineMcpproxyProject } from "../../vitest.shared.ts";

// Builds, packs and npm-installs every package: slow, but no Docker.
export default defineMcpproxyProject({ name: "@mcpproxy/install-tests", kind: "slow" });
