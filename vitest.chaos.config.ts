import { defineConfig } from "vitest/config";

/**
 * `npm run test:chaos` (issue #10): the app and the stand-ins as separate processes, crashed and starved
 * on purpose. One scenario at a time; each starts its own processes, database and clock.
 */
export default defineConfig({
  test: {
    include: ["test/chaos/**/*.chaos.ts"],
    environment: "node",
    testTimeout: 300_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
    restoreMocks: true,
  },
});
