import { defineMcpproxyProject } from "../../vitest.shared.ts";

export default defineMcpproxyProject({ name: "@mcpproxy/docker-args", kind: "docker" });
