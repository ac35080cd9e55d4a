import { defineMcpproxyProject } from "../../vitest.shared.ts";

export default defineMcpproxyProject({ name: "@mcpproxy/server", kind: "docker" });
