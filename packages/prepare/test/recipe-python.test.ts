// PyPI is not reachable on the CI machines: the Python recipes are covered by
// these unit tests of the generated build, not by a real build.
import { describe, expect, it } from "vitest";
import { PREPARED_LABELS, pythonRecipe, requirementLine, type ResolvedPackage } from "../src/index.ts";
import { specOf } from "./helpers.ts";

const BASE = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
const HASH_A = `sha256:${"a".repeat(64)}`;
const HASH_B = `sha256:${"b".repeat(64)}`;

const fetchPkg: ResolvedPackage = {
  name: "mcp-server-fetch",
  version: "2025.4.7",
  integrity: `${HASH_A} ${HASH_B}`,
  bin: {},
};

describe("pythonRecipe", () => {
  it("uvx: a venv with uv as launcher, the package pinned with hashes, the entry point run directly", () => {
    const recipe = pythonRecipe({
      server: "fetch",
      baseImageId: BASE,
      spec: specOf("uvx", ["mcp-server-fetch"]),
      resolved: [fetchPkg],
      hash: "h",
      tls: { caBundle: "PEM" },
      indexUrl: "https://pypi.example/simple",
    });
    expect(recipe.files["requirements.txt"]).toBe(
      `mcp-server-fetch==2025.4.7 --hash=${HASH_A} --hash=${HASH_B}\n`,
    );
    expect(recipe.dockerfile).toContain("python3 -m venv /opt/mcpproxy/venv");
    expect(recipe.dockerfile).toContain("-m pip install --no-cache-dir --disable-pip-version-check uv==");
    expect(recipe.dockerfile).toContain(
      "/opt/mcpproxy/venv/bin/uv pip install --python /opt/mcpproxy/venv/bin/python --no-cache --require-hashes -r /mcpproxy-build/requirements.txt",
    );
    expect(recipe.dockerfile).toContain(
      'ENV SSL_CERT_FILE="/mcpproxy-build/ca-bundle.pem" PIP_CERT="/mcpproxy-build/ca-bundle.pem"',
    );
    expect(recipe.dockerfile).toContain(
      'ENV PIP_INDEX_URL="https://pypi.example/simple" UV_DEFAULT_INDEX="https://pypi.example/simple"',
    );
    expect(recipe.entrypoint).toEqual(["/opt/mcpproxy/venv/bin/mcp-server-fetch"]);
    const final = recipe.dockerfile.split(`\nFROM ${BASE}\n`)[1] ?? "";
    expect(final).toContain("COPY --from=install /opt/mcpproxy/venv /opt/mcpproxy/venv");
    expect(final).not.toMatch(/mcpproxy-build|CERT|INDEX/);
    expect(recipe.labels[PREPARED_LABELS.integrity]).toBe(`${HASH_A} ${HASH_B}`);
    expect(recipe.labels[PREPARED_LABELS.recipe]).toBe("uv/1");
  });

  it("pipx: pip installs, pipx is the launcher; no hashes → no --require-hashes", () => {
    const recipe = pythonRecipe({
      server: "t",
      baseImageId: BASE,
      spec: specOf("pipx", ["run", "--spec", "mcp-server-time[tz]", "mcp-server-time"]),
      resolved: [{ name: "mcp-server-time", version: "0.6.2", integrity: "", bin: {} }],
      hash: "h",
    });
    expect(recipe.files["requirements.txt"]).toBe("mcp-server-time[tz]==0.6.2\n");
    expect(recipe.dockerfile).toContain("pipx==");
    expect(recipe.dockerfile).toContain("--disable-pip-version-check -r /mcpproxy-build/requirements.txt");
    expect(recipe.dockerfile).not.toContain("--require-hashes");
    expect(recipe.labels[PREPARED_LABELS.recipe]).toBe("pipx/1");
  });

  it("--require-hashes only when every requirement has hashes (pip's all-or-nothing rule)", () => {
    const recipe = pythonRecipe({
      server: "g",
      baseImageId: BASE,
      spec: specOf("uvx", ["--with", "b", "a"]),
      resolved: [
        { ...fetchPkg, name: "a" },
        { name: "b", version: "1", integrity: "", bin: {} },
      ],
      hash: "h",
    });
    expect(recipe.dockerfile).not.toContain("--require-hashes");
    expect(recipe.files["requirements.txt"]).toBe(`a==2025.4.7 --hash=${HASH_A} --hash=${HASH_B}\nb==1\n`);
  });

  it("refuses resolutions that do not match the spec or are not safe to write", () => {
    const s = specOf("uvx", ["a"]);
    expect(() =>
      pythonRecipe({
        server: "x",
        baseImageId: BASE,
        spec: s,
        resolved: [{ ...fetchPkg, name: "other" }],
        hash: "h",
      }),
    ).toThrow(/resolved other where a was asked for/);
    expect(() => pythonRecipe({ server: "x", baseImageId: BASE, spec: s, resolved: [], hash: "h" })).toThrow(
      /resolved 0 packages for 1/,
    );
    expect(() => requirementLine({ ...fetchPkg, version: "1; rm -rf /" }, undefined)).toThrow(
      /not a valid resolved Python requirement/,
    );
    expect(() =>
      pythonRecipe({
        server: "x",
        baseImageId: BASE,
        spec: { ...s, bin: "a b" },
        resolved: [{ ...fetchPkg, name: "a" }],
        hash: "h",
      }),
    ).toThrow(/not a command name/);
  });
});
