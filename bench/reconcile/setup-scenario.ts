import { migrateDatabase } from "../../app/adapters/db/database";
import { silentLogger } from "../../app/lib/logger";
import { buildScenario, scenarioFiles } from "./scenario";

/** Child process: migrates a fresh SQLite file with the app's migrations and writes the scenario into it. */
async function main(): Promise<void> {
  const [dir, size] = process.argv.slice(2);
  if (!dir || !size) throw new Error("usage: setup-scenario <dir> <lines>");
  const files = scenarioFiles(dir);
  await migrateDatabase({ engine: "sqlite", url: `file:${files.dbFile}` }, silentLogger);
  const summary = await buildScenario(Number(size), files);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
