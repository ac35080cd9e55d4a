import { defineMcpproxyProject } from "../../vitest.shared.ts";

export default defineMcpproxyProject({ name: "@mcpproxy/reliability-tests", kind: "docker" });
