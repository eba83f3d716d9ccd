import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import simpleImportSort from "eslint-plugin-simple-import-sort";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The layers (docs/architecture.md): imports point inward. Every file under app/ and web/src belongs to
 * exactly one element; a dependency no policy allows is an error. Ports hold only interfaces, records and
 * constants, so the edges may name them; only app/composition/ constructs adapters.
 */
const LAYERS = [
  { type: "domain", pattern: "app/domain/**", partialMatch: false },
  { type: "lib", pattern: "app/lib/**", partialMatch: false },
  { type: "ports", pattern: "app/ports/**", partialMatch: false },
  { type: "contracts", pattern: "app/contracts/**", partialMatch: false },
  { type: "use-cases", pattern: "app/use-cases/**", partialMatch: false },
  { type: "adapters", pattern: "app/adapters/**", partialMatch: false },
  { type: "http", pattern: "app/http/**", partialMatch: false },
  { type: "jobs", pattern: "app/jobs/**", partialMatch: false },
  { type: "observability", pattern: "app/observability/**", partialMatch: false },
  { type: "config", pattern: "app/config/**", partialMatch: false },
  { type: "composition", pattern: "app/composition/**", partialMatch: false },
  { type: "sandbox", pattern: "app/sandbox/**", partialMatch: false },
  { type: "web", pattern: "web/src/**", partialMatch: false },
];
const allow = (from, to) => ({ from: { element: { type: from } }, allow: { to: { element: { type: to } } } });
const allowTypes = (from, to) => ({ from: { element: { type: from } }, allow: { to: { element: { type: to } }, dependency: { kind: "type" } } });
const BOUNDARY_POLICIES = [
  // Pure core: no I/O, no framework.
  ...["domain", "lib"].map((to) => allow("domain", to)),
  allow("lib", "lib"),
  ...["ports", "domain", "lib"].map((to) => allow("ports", to)),
  ...["contracts", "domain", "lib"].map((to) => allow("contracts", to)),
  // Use cases talk to ports only.
  ...["use-cases", "domain", "ports", "lib", "contracts"].map((to) => allow("use-cases", to)),
  // Adapters implement ports.
  ...["adapters", "ports", "domain", "lib", "observability"].map((to) => allow("adapters", to)),
  allowTypes("adapters", "config"),
  // The edges call use cases; they may name port types, never construct adapters.
  ...["http", "use-cases", "ports", "domain", "lib", "contracts", "observability"].map((to) => allow("http", to)),
  allowTypes("http", "config"),
  ...["jobs", "use-cases", "ports", "domain", "lib", "observability"].map((to) => allow("jobs", to)),
  // Operations edge (metrics, readiness): what it reads from the database comes through ports/operational-stats.ts,
  // the worker's events through ports/outbox.ts (OutboxWorkerObserver); composition passes the adapters in.
  ...["observability", "lib", "domain", "ports"].map((to) => allow("observability", to)),
  ...["config", "lib", "domain"].map((to) => allow("config", to)),
  // The one place that wires adapters into use cases and routes.
  ...["composition", "adapters", "use-cases", "ports", "domain", "lib", "contracts", "http", "jobs", "config", "observability"].map((to) => allow("composition", to)),
  // The stand-ins follow the vendors, not the app: their own zone, sharing only plumbing.
  // (Its pages reuse the app's view helpers and error middleware: presentation, not vendor behaviour.)
  ...["sandbox", "lib", "config", "http"].map((to) => allow("sandbox", to)),
  ...["composition", "ports"].map((to) => allowTypes("sandbox", to)),
  // The SPA shares the wire contract and the pure domain rules (money, RUC) with the server.
  ...["web", "contracts", "domain"].map((to) => allow("web", to)),
];

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
  {
    // app/main.ts, the process entry point, is the one file outside every layer: it joins the app and the sandbox.
    files: ["app/**/*.ts", "web/src/**/*.{ts,tsx}"],
    ignores: ["app/main.ts"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": LAYERS,
      "import/resolver": { typescript: { project: "./tsconfig.json" }, node: { extensions: [".ts", ".tsx", ".js"] } },
    },
    rules: {
      "boundaries/dependencies": ["error", { default: "disallow", policies: BOUNDARY_POLICIES }],
      "boundaries/no-unknown-files": "error",
    },
  },
  {
    // The core does no I/O: no files, sockets, processes, databases or vendor SDKs; network calls go through ports.
    files: ["app/domain/**/*.ts", "app/use-cases/**/*.ts", "app/ports/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/test/**", "**/sandbox/**"], message: "App code must not import tests or the sandbox." },
            {
              group: ["node:fs", "node:fs/*", "node:net", "node:http", "node:https", "node:child_process", "express", "@prisma/*", "exceljs", "csv-parse", "pg", "better-sqlite3", "@shopify/*"],
              allowTypeImports: true,
              message: "The core does no I/O: put this behind a port and implement it in app/adapters.",
            },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "fetch", message: "Call vendors through a port (app/ports), implemented in app/adapters." }],
    },
  },
);
