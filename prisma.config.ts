import path from "node:path";

import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The Prisma CLI runs with the JS schema engine (no downloaded binaries). The provider follows
// PRISMA_PROVIDER (set by scripts/prisma-generate.mjs and scripts/new-migration.mjs).
const provider = process.env.PRISMA_PROVIDER === "postgresql" ? "postgresql" : "sqlite";

export default defineConfig({
  schema: path.join("prisma", "generated", provider, "schema.prisma"),
  engine: "js",
  experimental: { adapter: true },
  adapter: async () =>
    provider === "postgresql"
      ? new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test" })
      : new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "file:./data/prisma-cli.db" }),
});
