import { defineMcpproxyProject } from "../../vitest.shared.ts";

// Browser tests run a real proxy with real containers, so they are Docker tests.
export default defineMcpproxyProject({ name: "@mcpproxy/web", kind: "docker" });
