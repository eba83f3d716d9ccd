import { defineConfig } from "vitest/config";

/**
 * Browser tests: the whole app in sandbox mode driven by Debian's Chromium through playwright-core.
 * One file at a time: each starts its own app and browser, and they share web/dist.
 */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
    globalSetup: ["test/helpers/build-browser-scripts.ts"],
    restoreMocks: true,
  },
});
