// Public API of @mcpproxy/prepare: package-runner command → package spec →
// prepared-image recipe (Dockerfile + context), content hash, tag and labels;
// and the start-time launcher wrapper for uvx/pipx without prepare. Pure, no I/O.
// Everything exported here is public API.
export type {
  Ecosystem,
  PackageRef,
  PackageSpec,
  ParseResult,
  RunnerName,
  Unsupported,
  UnsupportedCode,
} from "./spec.ts";
export { parseRunnerCommand } from "./parse.ts";
export { planPrepare, runtimeImageOf, type PreparePlan } from "./plan.ts";
export { parseNpmPackage } from "./parse-npm.ts";
export { parsePythonRequirement } from "./parse-python.ts";
export { PrepareError, type PrepareErrorCode, type PrepareErrorDetails } from "./errors.ts";
export {
  PREPARED_REPOSITORY,
  RECIPE_VERSION,
  preparedHash,
  preparedTag,
  recipeId,
  repositoryComponent,
  type HashInput,
} from "./hash.ts";
export { PREPARED_LABELS, readPreparedLabels, type PinnedPackage, type PreparedLabels } from "./labels.ts";
export type { BuildRecipe, BuildTls, RecipeInput, ResolvedPackage } from "./recipe.ts";
export { chooseNpmBin, NPM_APP_DIR, npmRecipe, type NpmRecipeInput } from "./recipe-npm.ts";
export {
  PYTHON_LAUNCHERS,
  PYTHON_VENV,
  pythonRecipe,
  requirementLine,
  type PythonRecipeInput,
} from "./recipe-python.ts";
export { buildRecipe, type AnyRecipeInput } from "./build-recipe.ts";
export { BUILD_ID_ARG } from "./dockerfile.ts";
export {
  describeWrapper,
  LAUNCHER_PACKAGES,
  launcherInstallExplanation,
  launcherOf,
  launcherWrapper,
  type LauncherWrapper,
  type WrappedLauncher,
} from "./wrapper.ts";
export { shellJoin, shellQuote } from "./shell.ts";
