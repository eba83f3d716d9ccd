// Builds the per-provider Prisma schemas from prisma/models.prisma and generates one client
// for each. Runs at `npm install` (postinstall) and before tests; works offline because the
// generator uses the query compiler (engineType "client"), so no engine binary is downloaded.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PROVIDERS = ["sqlite", "postgresql"];

export function schemaFor(provider) {
  const models = readFileSync(join(root, "prisma/models.prisma"), "utf8");
  return `// GENERATED from prisma/models.prisma by scripts/prisma-generate.mjs. Do not edit.
generator client {
  provider        = "prisma-client-js"
  engineType      = "client"
  output          = "./client"
}

datasource db {
  provider = "${provider}"
  url      = env("DATABASE_URL")
}

${models}`;
}

export function writeSchemas() {
  const paths = {};
  for (const provider of PROVIDERS) {
    const dir = join(root, "prisma/generated", provider);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "schema.prisma");
    writeFileSync(file, schemaFor(provider));
    paths[provider] = file;
  }
  return paths;
}

function prismaBin() {
  return join(root, "node_modules/.bin/prisma");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeSchemas();
  for (const provider of PROVIDERS) {
    execFileSync(prismaBin(), ["generate"], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        PRISMA_PROVIDER: provider,
        DATABASE_URL: provider === "sqlite" ? "file:./data/prisma-cli.db" : "postgresql://postgres@127.0.0.1:5432/postgres",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
      },
    });
  }
}
