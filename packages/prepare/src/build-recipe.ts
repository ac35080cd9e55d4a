// One entry point over the recipes: the spec's ecosystem picks the recipe.
import { npmRecipe, type NpmRecipeInput } from "./recipe-npm.ts";
import { pythonRecipe, type PythonRecipeInput } from "./recipe-python.ts";
import type { BuildRecipe } from "./recipe.ts";

export type AnyRecipeInput = NpmRecipeInput & PythonRecipeInput;

/** The build recipe for a resolved spec (npm-family or Python). */
export function buildRecipe(input: AnyRecipeInput): BuildRecipe {
  return input.spec.ecosystem === "npm" ? npmRecipe(input) : pythonRecipe(input);
}
