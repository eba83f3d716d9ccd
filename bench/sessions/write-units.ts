import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { migrateDatabase, openDatabase } from "../../app/adapters/db/database";
import { run } from "../../app/adapters/db/sql/sql-driver";
import { SqlPaymentStore } from "../../app/adapters/db/sql/sql-payment-store";
import { createLogger } from "../../app/lib/logger";
import { pendingJob } from "../../app/use-cases/shared/jobs";
import { createBenchDb } from "../lib/bench-db";

/**
 * `node --import tsx bench/sessions/write-units.ts [sessions=3000] [concurrency=50] [--postgres]`: the writes of one
 * payment session alone (the session inserted holding its lease, then its CIP recorded with its event and pending
 * job), as the session path makes them through SqlPaymentStore and the group commit, `concurrency` sessions at a
 * time. Prints the CPU per session, so a change to the writes (triggers, indexes, the group commit) is measured
 * apart from TLS, HTTP and the emulator.
 */
const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const total = Number(positional[0] ?? 3000);
const concurrency = Number(positional[1] ?? 50);
/** `--postgres`: the same writes on a new PostgreSQL database (BENCH_DATABASE_URL's server, default the local one), dropped afterwards. */
const postgres = process.argv.includes("--postgres");

/**
 * CPU of the main thread alone (the event loop, the app's one writer), from Linux's per-thread counters in clock ticks;
 * process.cpuUsage() also counts worker threads (the search indexer, the WAL checkpointer). null elsewhere.
 */
const TICK_MS = existsSync(`/proc/self/task/${process.pid}/stat`) ? 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) : 0;
function mainThreadCpuMs(): number | null {
  if (!TICK_MS) return null;
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "pe-write-units-"));
  const benchDb = postgres ? await createBenchDb({ engine: "postgresql", dir, postgresUrl: process.env.BENCH_DATABASE_URL ?? null, name: "writes" }) : null;
  try {
    await measureWrites(dir, benchDb?.url ?? null);
  } finally {
    await benchDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureWrites(dir: string, postgresUrl: string | null): Promise<void> {
  const logger = createLogger({ level: "warn" });
  const config = postgresUrl ? { engine: "postgresql" as const, url: postgresUrl } : { engine: "sqlite" as const, url: `file:${path.join(dir, "app.db")}` };
  await migrateDatabase(config, logger);
  const db = await openDatabase(config, logger);
  // Round trips on PostgreSQL: every query given to a pg connection (a pipeline of several statements is one).
  let roundTrips = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    roundTrips += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  // An experiment on the schema (e.g. WRITE_UNITS_SQL='DROP TRIGGER "PaymentSearch_insert"'), run once before the writes.
  // Several statements are separated by ";".
  for (const sql of (process.env.WRITE_UNITS_SQL ?? "").split(";").map((s) => s.trim()).filter(Boolean)) {
    await db.prisma.$executeRawUnsafe(sql);
  }
  const now = new Date();
  await db.driver.write(function* () {
    yield* run(
      `INSERT INTO "Shop" ("id","domain","status","installedAt","offlineTokenEncrypted","notificationKey","locale","timezone","cipLifetimeHours","ready","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
      ["shop-1", "bench-0.myshopify.com", "installed", now, "x", "k", "es", "America/Lima", 48, true, now, now],
    );
  });
  const store = new SqlPaymentStore(db.prisma, db.driver);
  const runId = randomBytes(3).toString("hex");
  const one = async (n: number) => {
    const id = `w${runId}n${n}`;
    const at = new Date();
    const { session } = await store.getOrCreateSession(
      {
        id,
        gid: `gid://shopify/PaymentSession/${id}`,
        shopId: "shop-1",
        groupId: `g${id}`,
        checkoutSessionId: `s${id}`,
        amountMinor: 15000,
        currency: "PEN",
        test: true,
        kind: "sale",
        merchantLocale: "es-PE",
        buyerLocale: "es",
        email: "maria.quispe@example.pe",
        phone: "987654321",
        phoneCountryCode: "+51",
        givenName: "María",
        familyName: "Quispe",
        cancelUrl: `https://bench-0.myshopify.com/checkouts/${id}`,
        proposedAt: at,
        requestId: `req-${id}`,
        apiVersion: "2026-10",
        requestBody: "{}".padEnd(600, " "),
        state: "awaiting_phone",
        rejectionReason: null,
        buyerToken: randomBytes(18).toString("base64url"),
        environment: "sandbox",
        createdAt: at,
      },
      [{ type: "session_received", at, detail: { requestId: `req-${id}`, amount: "150.00", currency: "PEN", test: true } }],
      { claimIssuingForMs: 60_000 },
    );
    const cip = String(50_000_000 + n);
    const expires = new Date(at.getTime() + 48 * 3_600_000);
    await store.applyChange({
      sessionId: session.id,
      move: "cip_issued",
      expectNoCip: true,
      set: { cip, cipUrl: `https://pagoefectivo.example/${cip}`, cipExpiresAt: expires, cipIssuedAt: at, issuingUntil: null, updatedAt: at },
      events: [{ type: "cip_issued", at, detail: { cip, expiresAt: expires.toISOString(), cipUrl: `https://pagoefectivo.example/${cip}` } }],
      jobs: [pendingJob("shop-1", session.id)],
    });
  };
  const measure = async (count: number, offset: number) => {
    const cpu = process.cpuUsage();
    roundTrips = 0;
    const thread = mainThreadCpuMs();
    const started = performance.now();
    let next = offset;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < offset + count) await one(next++);
      }),
    );
    const used = process.cpuUsage(cpu);
    const threadAfter = mainThreadCpuMs();
    const mainMs = thread === null || threadAfter === null ? null : threadAfter - thread;
    return {
      ms: performance.now() - started,
      cpuMsPerSession: (used.user + used.system) / 1000 / count,
      mainMsPerSession: mainMs === null ? null : mainMs / count,
      roundTrips: roundTrips / count,
    };
  };
  await measure(Math.min(500, total), 0); // warm-up (JIT, statement cache)
  const result = await measure(total, 1_000_000);
  const mainThread = result.mainMsPerSession === null ? "" : ` (main thread ${result.mainMsPerSession.toFixed(3)} ms, other threads ${(result.cpuMsPerSession - result.mainMsPerSession).toFixed(3)} ms)`;
  const trips = postgres ? `, ${result.roundTrips.toFixed(2)} round trips per session` : "";
  process.stdout.write(
    `write units (${config.engine}): ${total} sessions, ${concurrency} at a time: ${result.cpuMsPerSession.toFixed(3)} ms CPU per session${mainThread}, ${(total / (result.ms / 1000)).toFixed(0)} sessions/s${trips}\n`,
  );
  await db.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
