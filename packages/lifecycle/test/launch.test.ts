import { rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planDockerRun } from "../src/launch.ts";
import { isolated, serverConfig } from "./helpers.ts";

describe("planDockerRun", () => {
  it("renders one spec as the argv (no --rm, a cidfile) and the create request (AutoRemove off)", async () => {
    const plan = await planDockerRun(
      serverConfig("plan", "node", ["cleanup-tool", "--rm"], { TOKEN: "s3cret" }),
      isolated("mcpproxy-test/node:x"),
      { instanceId: "plan-test" },
    );
    try {
      const imageAt = plan.argv.indexOf("mcpproxy-test/node:x");
      expect(plan.argv.slice(0, imageAt)).not.toContain("--rm");
      // The server's own "--rm" argument is its own.
      expect(plan.argv.slice(imageAt)).toEqual(["mcpproxy-test/node:x", "node", "cleanup-tool", "--rm"]);
      expect(plan.argv).toContain(`--cidfile=${plan.cidFile}`);
      expect(plan.env).toEqual({ TOKEN: "s3cret" });
      expect(plan.create.name).toBe(plan.containerName);
      expect(plan.create.body.HostConfig.AutoRemove).toBe(false);
      expect(plan.create.body.Cmd).toEqual(["node", "cleanup-tool", "--rm"]);
      expect(plan.create.body.Labels?.["io.mcpproxy-lifecycle.owner-pid"]).toBe(String(process.pid));
      expect(plan.create.needsCli).toEqual([]);
    } finally {
      await rm(path.dirname(plan.cidFile), { recursive: true, force: true });
    }
  });

  it("lists the extra_args only the CLI can carry", async () => {
    const plan = await planDockerRun(
      serverConfig("plan", "node", []),
      isolated("mcpproxy-test/node:x", { extra_args: ["--env-file=/etc/x.env"] }),
      { instanceId: "plan-test" },
    );
    await rm(path.dirname(plan.cidFile), { recursive: true, force: true });
    expect(plan.create.needsCli.map((entry) => entry.arg)).toEqual(["--env-file=/etc/x.env"]);
  });
});
