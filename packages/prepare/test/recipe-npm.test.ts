import { describe, expect, it } from "vitest";
import {
  buildRecipe,
  chooseNpmBin,
  npmRecipe,
  PREPARED_LABELS,
  readPreparedLabels,
  type ResolvedPackage,
} from "../src/index.ts";
import { specOf } from "./helpers.ts";

const BASE = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

const memory: ResolvedPackage = {
  name: "@modelcontextprotocol/server-memory",
  version: "2025.11.25",
  integrity: "sha512-abc==",
  bin: { "mcp-server-memory": "dist/index.js" },
};

describe("npmRecipe", () => {
  const recipe = npmRecipe({
    server: "memory",
    baseImageId: BASE,
    spec: specOf("npx", ["-y", "@modelcontextprotocol/server-memory"]),
    resolved: [memory],
    hash: "0123456789abcdef",
    tls: { extraCaCerts: "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n" },
    npmrc: "registry=https://registry.example/\n//registry.example/:_authToken=secret\n",
  });

  it("installs the exact version FROM the base image id and runs the bin directly with node", () => {
    expect(recipe.dockerfile).toContain(`FROM ${BASE} AS install`);
    expect(recipe.dockerfile).toMatch(
      new RegExp(`\\nFROM ${BASE}\\nCOPY --from=install /opt/mcpproxy/app /opt/mcpproxy/app\\n`),
    );
    expect(JSON.parse(recipe.files["package.json"] ?? "")).toMatchObject({
      dependencies: { "@modelcontextprotocol/server-memory": "2025.11.25" },
    });
    expect(recipe.entrypoint).toEqual([
      "node",
      "/opt/mcpproxy/app/node_modules/@modelcontextprotocol/server-memory/dist/index.js",
    ]);
    expect(recipe.dockerfile).toContain(`ENTRYPOINT ${JSON.stringify(recipe.entrypoint)}`);
    expect(recipe.dockerfile).toContain("RUN npm install --omit=dev");
  });

  it("verifies the installed version and integrity against what the host resolved", () => {
    expect(JSON.parse(recipe.files["expected.json"] ?? "")).toEqual([
      { name: memory.name, version: memory.version, integrity: memory.integrity },
    ]);
    expect(recipe.dockerfile).toContain(
      "node /mcpproxy-build/verify.cjs /mcpproxy-build/expected.json /opt/mcpproxy/app",
    );
    expect(recipe.files["verify.cjs"]).toContain("entry.integrity !== want.integrity");
  });

  it("passes the host's CA certificates and npm settings to the install stage only", () => {
    const [install = "", final = ""] = recipe.dockerfile.split(`\nFROM ${BASE}\n`);
    expect(recipe.files["extra-ca.pem"]).toContain("BEGIN CERTIFICATE");
    expect(install).toContain("COPY extra-ca.pem /mcpproxy-build/extra-ca.pem");
    expect(install).toContain('ENV NODE_EXTRA_CA_CERTS="/mcpproxy-build/extra-ca.pem"');
    expect(install).toContain("ENV NPM_CONFIG_USERCONFIG=/mcpproxy-build/npmrc");
    expect(recipe.files["npmrc"]).toContain("_authToken");
    expect(final).not.toMatch(/mcpproxy-build|npmrc|CERT/);
    expect(recipe.dockerfile).not.toMatch(/strict-ssl|NODE_TLS_REJECT_UNAUTHORIZED/);
  });

  it("labels the pin and reads it back", () => {
    expect(recipe.labels[PREPARED_LABELS.version]).toBe("2025.11.25");
    expect(recipe.labels[PREPARED_LABELS.integrity]).toBe("sha512-abc==");
    expect(recipe.dockerfile).toContain(`${PREPARED_LABELS.recipe}="npm/1"`);
    expect(readPreparedLabels(recipe.labels)).toEqual({
      hash: "0123456789abcdef",
      recipe: "npm/1",
      runner: "npx",
      baseImage: BASE,
      package: { name: memory.name, version: memory.version, integrity: memory.integrity },
      bin: "mcp-server-memory",
      packages: [{ name: memory.name, version: memory.version, integrity: memory.integrity }],
    });
  });

  it("a npm cafile bundle is used through npm_config_cafile", () => {
    const withBundle = npmRecipe({
      server: "m",
      baseImageId: BASE,
      spec: specOf("npx", ["x"]),
      resolved: [{ ...memory, name: "x", bin: { x: "./cli.js" } }],
      hash: "h",
      tls: { caBundle: "PEM" },
    });
    expect(withBundle.dockerfile).toContain('ENV npm_config_cafile="/mcpproxy-build/ca-bundle.pem"');
    expect(withBundle.entrypoint).toEqual(["node", "/opt/mcpproxy/app/node_modules/x/cli.js"]);
  });

  it("bunx installs with bun and runs with bun", () => {
    const bun = buildRecipe({
      server: "m",
      baseImageId: BASE,
      spec: specOf("bunx", ["x@1"]),
      resolved: [{ ...memory, name: "x", bin: { x: "cli.js" } }],
      hash: "h",
    });
    expect(bun.dockerfile).toContain("RUN bun install --production");
    expect(bun.entrypoint[0]).toBe("bun");
    expect(bun.labels[PREPARED_LABELS.recipe]).toBe("bun/1");
  });
});

describe("chooseNpmBin", () => {
  const many: ResolvedPackage = {
    name: "@s/tool",
    version: "1.0.0",
    integrity: "",
    bin: { other: "o.js", tool: "t.js" },
  };

  it("picks the only bin, else the one named like the package, else the named one across -p packages", () => {
    expect(chooseNpmBin({ server: "s", spec: specOf("npx", ["@s/tool"]), resolved: [many] }).bin).toBe(
      "tool",
    );
    const named = chooseNpmBin({
      server: "s",
      spec: specOf("npx", ["-p", "a", "-p", "@s/tool", "other"]),
      resolved: [{ ...many, name: "a", bin: {} }, many],
    });
    expect(named).toMatchObject({ bin: "other", path: "o.js", package: { name: "@s/tool" } });
  });

  it("explains a package without a runnable command", () => {
    expect(() =>
      chooseNpmBin({
        server: "s",
        spec: specOf("npx", ["lib"]),
        resolved: [{ ...many, name: "lib", bin: {} }],
      }),
    ).toThrow(/has no command/);
    expect(() =>
      chooseNpmBin({ server: "s", spec: specOf("npx", ["x"]), resolved: [{ ...many, name: "x" }] }),
    ).toThrow(/several commands \(other, tool\)/);
    expect(() =>
      chooseNpmBin({
        server: "s",
        spec: specOf("npx", ["-p", "x", "nope"]),
        resolved: [{ ...many, name: "x" }],
      }),
    ).toThrow(/provides the command "nope"/);
  });
});
