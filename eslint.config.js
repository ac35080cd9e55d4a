// @ts-check
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/dist-ui/**",
      "apps/web/test-results/**",
      "**/node_modules/**",
      "**/.turbo/**",
      "tests/fixtures/images/**",
      "bench/results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ["eslint.config.js"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Process and container code: a forgotten promise is a leaked container.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The layering rule: a package is used through its name (its index.ts is the public API),
    // never through another package's src/ or dist/ or a node_modules path.
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@mcpproxy/[^/]+/(src|dist)(/|$)",
              message: "Import the package by its name: its index.ts is the public API.",
            },
            {
              regex: "(^|/)node_modules(/|$)",
              message: "Never import through a node_modules path: import the package by its name.",
            },
            {
              regex: "^(\\.\\./){2,}([^./][^/]*/)+(src|dist)(/|$)",
              message:
                "This reaches into another package's src/ or dist/: add it as a dependency and import it by name.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
