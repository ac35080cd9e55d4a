import { defineMcpproxyProject } from "../../vitest.shared.ts";

export default defineMcpproxyProject({ name: "@mcpproxy/diagnostics", kind: "docker" });
