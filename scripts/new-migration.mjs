// Writes a new migration for both providers from the change in prisma/models.prisma.
//   npm run db:migration -- add_refund_notes
// Prisma's migrate commands need a schema-engine binary for PostgreSQL that cannot be downloaded
// here, so migrations are computed schema-to-schema with `prisma migrate diff` against a snapshot
// of the schema as of the last migration (prisma/migrations/<provider>/schema.snapshot.prisma).
// The app applies them at start (app/adapters/db/migrator.ts) in Prisma's folder format.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { PROVIDERS, writeSchemas } from "./prisma-generate.mjs";

const root = join(import.meta.dirname, "..");
const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}

mkdirSync(join(root, "data"), { recursive: true });
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const paths = writeSchemas();
let wrote = 0;
for (const provider of PROVIDERS) {
  const dir = join(root, "prisma/migrations", provider);
  mkdirSync(dir, { recursive: true });
  const snapshot = join(dir, "schema.snapshot.prisma");
  const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
  const sql = execFileSync(
    join(root, "node_modules/.bin/prisma"),
    ["migrate", "diff", ...from, "--to-schema-datamodel", paths[provider], "--script"],
    {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        PRISMA_PROVIDER: provider,
        DATABASE_URL: provider === "sqlite" ? "file:./data/prisma-cli.db" : "postgresql://postgres@127.0.0.1:5432/postgres",
        CHECKPOINT_DISABLE: "1",
      },
    },
  );
  if (!/\b(CREATE|ALTER|DROP)\b/i.test(sql)) {
    console.log(`${provider}: no changes`);
    continue;
  }
  const folder = join(dir, `${stamp}_${name}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "migration.sql"), sql);
  writeFileSync(snapshot, readFileSync(paths[provider], "utf8"));
  writeFileSync(join(dir, "migration_lock.toml"), `# Do not edit: written by scripts/new-migration.mjs\nprovider = "${provider}"\n`);
  console.log(`${provider}: wrote ${folder}`);
  wrote += 1;
}
if (wrote === 0) console.log("The schema has not changed since the last migration.");
