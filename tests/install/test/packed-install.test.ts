// Installs the packed tarballs into an empty directory with plain npm (no
// workspace, no pnpm) and uses them as a user would.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packAll, publishablePackages, REPO_ROOT, type PackedPackage } from "../../../scripts/lib/packs.ts";
import { readmeSnippets } from "./readme-snippets.ts";

const run = promisify(execFile);
const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

// What a consumer on NodeNext would write; @types/node comes from the workspace (a user has their own).
const CONSUMER_TSCONFIG = {
  compilerOptions: {
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2023",
    // "dom" for the fetch types (HeadersInit) the MCP SDK's declarations use, as most consumers have.
    lib: ["es2023", "dom"],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    allowImportingTsExtensions: true,
    typeRoots: [path.join(REPO_ROOT, "node_modules", "@types")],
    types: ["node"],
  },
  include: ["*.ts", "snippets/**/*.ts"],
};

let work: string;
let app: string;
let packed: PackedPackage[];

/** `names` plus every @mcpproxy package they need at run time, transitively (as npm would fetch them). */
function withSiblingDeps(names: readonly string[]): Set<string> {
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    needed.add(name);
    const pkg = packed.find((candidate) => candidate.name === name);
    if (pkg === undefined) throw new Error(`${name} is not a publishable workspace package`);
    const manifest = JSON.parse(readFileSync(path.join(pkg.dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (dep.startsWith("@mcpproxy/")) visit(dep);
  };
  for (const name of names) visit(name);
  return needed;
}

async function tsc(cwd: string): Promise<{ ok: boolean; output: string }> {
  try {
    await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: "" };
  } catch (error) {
    return { ok: false, output: (error as { stdout?: string }).stdout ?? String(error) };
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "mcpproxy-install-"));
  app = path.join(work, "app");
  await mkdir(app);
  // Turbo skips what is already built (CI builds just before the tests).
  await run("pnpm", ["build"], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  packed = await packAll(await publishablePackages(), path.join(work, "packs"));
  await writeFile(
    path.join(app, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  await run("npm", ["install", "--no-audit", "--no-fund", ...packed.map((pkg) => pkg.tarball)], {
    cwd: app,
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(path.join(app, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
});

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe("the packed packages installed with npm", () => {
  it("installs every publishable package", () => {
    expect(packed.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining(["@mcpproxy/cli", "@mcpproxy/docker-args", "@mcpproxy/config"]),
    );
  });

  it("compiles and runs buildDockerRunArgs under moduleResolution nodenext", async () => {
    await writeFile(
      path.join(app, "consumer.ts"),
      [
        'import { buildDockerRunArgs, type DockerRunArgs } from "@mcpproxy/docker-args";',
        "const run: DockerRunArgs = buildDockerRunArgs(",
        '  { name: "fetch", command: "uvx", args: ["mcp-server-fetch"], env: {}, enabled: true },',
        "  {",
        '    enabled: true, memory_limit: "256m", cpu_limit: "0.5", network_mode: "none", timeout_ms: 30_000,',
        '    registry: "docker.io", default_images: { uvx: "python:3.11" }, extra_args: [], volumes: [],',
        "  },",
        '  { instanceId: "install-test" },',
        ");",
        "const argv: readonly string[] = run.argv;",
        "process.stdout.write(JSON.stringify(argv));",
        "",
      ].join("\n"),
    );
    const compiled = await tsc(app);
    expect(compiled.output).toBe("");
    const { stdout } = await run(process.execPath, ["consumer.ts"], { cwd: app });
    const argv = JSON.parse(stdout) as string[];
    expect(argv.slice(0, 3)).toEqual(["run", "-i", "--rm"]);
    expect(argv).toContain("--memory=256m");
    expect(argv).toContain("--network=none");
    expect(argv.slice(-3)).toEqual(["python:3.11", "uvx", "mcp-server-fetch"]);
  });

  it("type-checks every ts example in the published READMEs against the installed packages", async () => {
    const snippetsDir = path.join(app, "snippets");
    let count = 0;
    for (const pkg of packed) {
      const readme = await readFile(path.join(pkg.dir, "README.md"), "utf8");
      for (const [index, code] of readmeSnippets(readme).entries()) {
        const dir = path.join(snippetsDir, pkg.name.replace("/", "__"));
        await mkdir(dir, { recursive: true });
        // `export {}` makes each block a module of its own (top-level await, no name clashes).
        await writeFile(path.join(dir, `block-${index + 1}.ts`), `${code}\nexport {};\n`);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(0);
    const compiled = await tsc(app);
    expect(compiled.output).toBe("");
  });

  it("installs @mcpproxy/diagnostics without execa, the MCP SDK or the packages that run docker", async () => {
    const alone = path.join(work, "diagnostics-only");
    await mkdir(alone);
    await writeFile(path.join(alone, "package.json"), JSON.stringify({ name: "alone", private: true }));
    const wanted = packed.filter((pkg) => withSiblingDeps(["@mcpproxy/diagnostics"]).has(pkg.name));
    expect(wanted.map((pkg) => pkg.name)).toContain("@mcpproxy/config");
    await run("npm", ["install", "--no-audit", "--no-fund", ...wanted.map((pkg) => pkg.tarball)], {
      cwd: alone,
      maxBuffer: 16 * 1024 * 1024,
    });
    const installed = (name: string) => existsSync(path.join(alone, "node_modules", name, "package.json"));
    expect(installed("@mcpproxy/diagnostics")).toBe(true);
    expect(installed("execa")).toBe(false);
    expect(installed("@modelcontextprotocol/sdk")).toBe(false);
    expect(installed("@mcpproxy/lifecycle")).toBe(false);
    expect(installed("@mcpproxy/docker-args")).toBe(false);
  });

  it("gives a working mcpproxy binary", async () => {
    const bin = path.join(app, "node_modules", ".bin", "mcpproxy");
    const cli = packed.find((pkg) => pkg.name === "@mcpproxy/cli");
    const env = { ...process.env, HOME: work, MCPPROXY_CONFIG: path.join(work, "none.json"), NO_COLOR: "1" };
    const version = await run(bin, ["--version"], { env });
    expect(version.stdout.trim()).toBe(cli?.version);
    const schema = await run(bin, ["config", "schema"], { env, maxBuffer: 16 * 1024 * 1024 });
    const parsed = JSON.parse(schema.stdout) as { $schema?: string; properties?: Record<string, unknown> };
    expect(parsed.$schema).toMatch(/json-schema\.org/);
    expect(parsed.properties).toHaveProperty("mcpServers");
  });

  it("serves the dashboard from the installed packages (the bundled CLI finds @mcpproxy/server's dist-ui)", async () => {
    const bin = path.join(app, "node_modules", ".bin", "mcpproxy");
    const config = path.join(work, "ui-config.json");
    await writeFile(config, JSON.stringify({ mcpServers: [] }));
    const env = { ...process.env, HOME: work, XDG_STATE_HOME: work, MCPPROXY_CONFIG: config, NO_COLOR: "1" };
    const serve = spawn(bin, ["serve", "--listen", "127.0.0.1:0"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = once(serve, "exit");
    try {
      let output = "";
      const url = await new Promise<string>((resolve, reject) => {
        serve.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const ready = /Ready: mcpproxy is serving on (http:\/\/\S+)/.exec(output);
          if (ready?.[1] !== undefined) resolve(ready[1]);
        });
        serve.on("exit", (code) => reject(new Error(`serve exited (${code}) before Ready:\n${output}`)));
      });
      const page = await fetch(`${url}/ui/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await page.text()).toContain("<!doctype html>");
    } finally {
      serve.kill("SIGTERM");
      await exited;
    }
  });
});
