import { defineMcpproxyProject } from "../../vitest.shared.ts";

export default defineMcpproxyProject({ name: "@mcpproxy/cli", kind: "docker" });
