import { describe, expect, it } from "vitest";
import * as api from "../src/index.ts";

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([
      "BUILD_ID_ARG",
      "LAUNCHER_PACKAGES",
      "NPM_APP_DIR",
      "PREPARED_LABELS",
      "PREPARED_REPOSITORY",
      "PYTHON_LAUNCHERS",
      "PYTHON_VENV",
      "PrepareError",
      "RECIPE_VERSION",
      "buildRecipe",
      "chooseNpmBin",
      "describeWrapper",
      "launcherInstallExplanation",
      "launcherOf",
      "launcherWrapper",
      "npmRecipe",
      "parseNpmPackage",
      "parsePythonRequirement",
      "parseRunnerCommand",
      "planPrepare",
      "preparedHash",
      "preparedTag",
      "pythonRecipe",
      "readPreparedLabels",
      "recipeId",
      "repositoryComponent",
      "requirementLine",
      "runtimeImageOf",
      "shellJoin",
      "shellQuote",
    ]);
  });

  it("PrepareError carries code, fix, installer lines and cause", () => {
    const cause = new Error("npm exited 1");
    const error = new api.PrepareError("BUILD_FAILED", "the build failed", {
      server: "s",
      package: "p@1",
      installerLines: ["npm error 404"],
      fix: "check the name",
      cause,
    });
    expect(error).toMatchObject({
      name: "PrepareError",
      code: "BUILD_FAILED",
      server: "s",
      package: "p@1",
      fix: "check the name",
    });
    expect(error.installerLines).toEqual(["npm error 404"]);
    expect(error.cause).toBe(cause);
    expect(new api.PrepareError("INVALID_INPUT", "x").installerLines).toEqual([]);
  });
});
