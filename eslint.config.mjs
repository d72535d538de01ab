// Lint rules for the app, the devhost, tests and benches.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test-output/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/devhost/**", "**/devhost"],
              message: "shared/ and functions/ never import devhost/.",
            },
          ],
        },
      ],
    },
  },
  {
    // Build scripts run on Node as plain ES modules.
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: { console: "readonly", process: "readonly" } },
  },
  {
    // The devhost loads function files by path, as the worker does.
    files: ["devhost/**", "test/**", "bench/**", "load/**"],
    rules: { "no-restricted-imports": "off", "@typescript-eslint/no-require-imports": "off" },
  },
);
