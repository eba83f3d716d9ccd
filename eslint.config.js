import js from "@eslint/js";
import simpleImportSort from "eslint-plugin-simple-import-sort";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/**", "data/**", "dist/**", "web/dist/**", "prisma/generated/**", "test-results/**", ".tmp/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    plugins: { "simple-import-sort": simpleImportSort },
    rules: {
      "simple-import-sort/imports": "error",
      "simple-import-sort/exports": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through app/config only." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.name='parseFloat']", message: "Never parseFloat money: use the Money helpers." },
      ],
    },
  },
  {
    files: ["app/config/**", "scripts/**", "test/**", "bench/**", "vitest.config.ts", "prisma.config.ts", "web/vite.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["scripts/**", "bench/**"],
    rules: { "no-console": "off" },
  },
  {
    files: ["web/src/**"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The pages' browser scripts (tsconfig.browser.json): browser globals only, nothing from Node.
    files: ["app/http/views/scripts/**"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "no-restricted-globals": ["error", ...["process", "Buffer", "require", "module", "__dirname", "global", "setImmediate"].map((name) => ({ name, message: "Browser code: no Node globals." }))],
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "../*"], message: "Browser scripts are self-contained." }] }],
      "no-restricted-properties": ["error", { object: "document", property: "write", message: "Write with textContent." }],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML)$/]", message: "Write with textContent, never HTML." },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: "Write with textContent, never HTML." },
      ],
    },
  },
  {
    files: ["app/**"],
    ignores: ["app/sandbox/**", "app/main.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/test/**", "**/sandbox/**"], message: "App code must not import tests or the sandbox." }] },
      ],
    },
  },
);
