import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**", "node_modules/**"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    restoreMocks: true,
    pool: "forks",
    // Compiles the pages' browser scripts (dist/browser) that the buyer and sandbox pages inline.
    globalSetup: ["test/helpers/build-browser-scripts.ts"],
  },
});
