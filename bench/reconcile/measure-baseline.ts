import { createReadStream } from "node:fs";

import Database from "better-sqlite3";
import { parse } from "csv-parse";

import { maxRssBytes, RssSampler } from "./rss-sampler";
import { scenarioFiles, SHOP_ID } from "./scenario";

/**
 * Child process: the baseline. The same settlement file loaded into the same schema with raw
 * better-sqlite3 (csv-parse, one prepared INSERT, one transaction), then joined against the ledger with
 * one SQL query (unknown CIPs, amount mismatches, paid CIPs without a line). No mapping, validation,
 * idempotency, progress or exceptions: the floor the app is compared with. Prints one JSON line.
 */
async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: measure-baseline <scenario dir>");
  const files = scenarioFiles(dir);
  globalThis.gc?.();
  const sampler = new RssSampler();
  sampler.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const db = new Database(files.dbFile);
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(
    `INSERT INTO "SettlementLine" ("id","shopId","importId","lineNumber","lineKey","cip","amountMinor","currency","paymentDate","channel","commissionMinor","netMinor","payoutDate","operationNumber") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const importId = "imp_baseline";
  db.exec("BEGIN");
  let line = 1;
  const parser = createReadStream(files.csvFile).pipe(parse({ delimiter: ";", from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    line += 1;
    const [cip = "", amount = "", currency = "", paid = "", channel = "", commission = "", net = "", payout = "", operation = ""] = record;
    insert.run(
      `${importId}:${String(line).padStart(9, "0")}`,
      SHOP_ID,
      importId,
      line,
      `op:${cip}:${operation}#${line}`,
      cip,
      minor(amount),
      currency,
      limaIso(paid),
      channel,
      minor(commission),
      minor(net),
      limaIso(`${payout} 00:00:00`),
      operation,
    );
  }
  db.exec("COMMIT");
  const joined = db
    .prepare(
      `SELECT COUNT(*) AS lines,
              SUM(CASE WHEN s."id" IS NULL THEN 1 ELSE 0 END) AS unknown,
              SUM(CASE WHEN s."id" IS NOT NULL AND (l."amountMinor" <> COALESCE(s."paidAmountMinor", s."amountMinor") OR l."currency" <> s."currency") THEN 1 ELSE 0 END) AS mismatched,
              (SELECT COUNT(*) FROM "PaymentSession" p WHERE p."shopId" = ? AND p."paidAt" IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM "SettlementLine" x WHERE x."shopId" = p."shopId" AND x."cip" = p."cip")) AS missing
         FROM "SettlementLine" l LEFT JOIN "PaymentSession" s ON s."shopId" = l."shopId" AND s."cip" = l."cip"
        WHERE l."shopId" = ?`,
    )
    .get(SHOP_ID, SHOP_ID) as { lines: number; unknown: number; mismatched: number; missing: number };
  db.close();
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const peakRss = sampler.stop();
  process.stdout.write(`${JSON.stringify({ seconds: (t1 - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: peakRss, maxRssBytes: maxRssBytes(), ...joined })}\n`);
}

function minor(text: string): number {
  const [units = "0", cents = ""] = text.split(".");
  return Number(units) * 100 + Number(cents.padEnd(2, "0").slice(0, 2));
}

/** "yyyy-mm-dd hh:mm:ss" in Lima (UTC-5) to ISO UTC. */
function limaIso(text: string): string {
  return new Date(`${text.replace(" ", "T")}-05:00`).toISOString();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
