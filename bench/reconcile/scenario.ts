import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, writeFileSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { formatMinor } from "../../app/domain/money";
import type { FeeSchedule } from "../../app/domain/settlement/fee-schedule";
import type { PayoutTermsInput } from "../../app/domain/settlement/payout-terms";
import { termsFromInput } from "../../app/domain/settlement/payout-terms";
import { SettlementExpectations } from "../../app/use-cases/run-reconciliation/settlement-expectations";

/**
 * The benchmark's world: one shop with N paid payment sessions and an N-line settlement CSV, with a known
 * set of planted anomalies (each kind at the same share), written straight into a migrated SQLite file
 * (setup is not measured). The manifest lists every exception a correct run must find, as "kind:cip".
 */

export const SHOP_ID = "shop_bench";
export const SHOP_DOMAIN = "bench-shop.myshopify.com";
/** "Now" for the run: every June payment's payout day has passed. */
export const BENCH_NOW = limaWallClockToInstant(2025, 8, 15, 12);
const FIRST_PAYMENT = limaWallClockToInstant(2025, 6, 1, 8);
const SPAN_MS = 29 * 24 * 3_600_000;

export const CHANNELS = ["Agente", "Banca móvil", "Bodega", "Billetera", "Internet"] as const;

export const FEE_SCHEDULE: FeeSchedule = [
  { currency: "PEN", channel: "*", percentBps: 250, fixedMinor: 50, effectiveFrom: limaWallClockToInstant(2025, 1, 1) },
  { currency: "PEN", channel: "Agente", percentBps: 300, fixedMinor: 100, effectiveFrom: limaWallClockToInstant(2025, 1, 1) },
  { currency: "USD", channel: "*", percentBps: 250, fixedMinor: 20, effectiveFrom: limaWallClockToInstant(2025, 1, 1) },
];

export const PAYOUT_TERMS: PayoutTermsInput = {
  daysByChannel: { Agente: 3, "Banca móvil": 1, Bodega: 3, Billetera: 1, Internet: 2 },
  defaultDays: 2,
  cutoffHour: 17,
  extraClosedDays: [],
  settlementCurrencies: { PEN: "PEN", USD: "USD" },
};

export const MAPPING = {
  columns: {
    cip: "Código CIP",
    amount: "Monto",
    currency: "Moneda",
    paymentDate: "Fecha de pago",
    channel: "Canal",
    commission: "Comisión",
    net: "Neto",
    payoutDate: "Fecha de abono",
    operationNumber: "Nro. operación",
  },
  hasHeaderRow: true,
};

/** Planted kinds on payments, by slot. Three "missing" slots so the file has exactly N lines. */
const SLOTS = [
  "paid_without_order",
  "order_pending_but_paid",
  "paid_after_expiry",
  "notification_missing",
  "amount_mismatch",
  "paid_twice",
  "settlement_amount_mismatch",
  "settlement_duplicate",
  "commission_mismatch",
  "missing_from_settlement",
  "missing_from_settlement",
  "missing_from_settlement",
] as const;

export interface ScenarioFiles {
  readonly dbFile: string;
  readonly csvFile: string;
  readonly manifestFile: string;
}

export interface ScenarioSummary {
  readonly payments: number;
  readonly lines: number;
  readonly planted: number;
  readonly perKind: number;
}

/** Payments per planted kind: 0.05 % of N (at least one). */
export function plantedPerKind(n: number): number {
  return Math.max(1, Math.round(n * 0.0005));
}

export async function buildScenario(n: number, files: ScenarioFiles): Promise<ScenarioSummary> {
  const k = plantedPerKind(n);
  const stride = Math.floor(n / k);
  if (stride < SLOTS.length) throw new Error(`n=${n} is too small for the planted anomalies`);
  const slotOf = (i: number): (typeof SLOTS)[number] | null => {
    const offset = i % stride;
    return Math.floor(i / stride) < k && offset < SLOTS.length ? (SLOTS[offset] ?? null) : null;
  };
  const expectations = new SettlementExpectations(termsFromInput(PAYOUT_TERMS), FEE_SCHEDULE);
  const manifest: string[] = [];

  const db = new Database(files.dbFile);
  // Setup is not measured: no journal and a big page cache (a million sessions into a table with many
  // indexes), then back to WAL, the mode the app runs in.
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -524288");
  // The payments' search index (FTS5 trigram, filled by triggers) is the admin search's, not on the
  // reconciliation path (bench:admin measures it): its triggers are off while the sessions are written, so
  // the index holds none of them, and back on afterwards.
  const searchTriggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'PaymentSession' AND name LIKE 'PaymentSearch%'`).all() as { name: string; sql: string }[];
  for (const trigger of searchTriggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
  const iso = (ms: number) => new Date(ms).toISOString();
  const now = iso(BENCH_NOW.getTime());
  db.prepare(
    `INSERT INTO "Shop" ("id","domain","status","installedAt","notificationKey","locale","timezone","cipLifetimeHours","ready","legalName","ruc","settlementMappingJson","payoutCycleJson","createdAt","updatedAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  ).run(SHOP_ID, SHOP_DOMAIN, "installed", now, "bench-key", "es", "America/Lima", 48, 1, "Comercial Andina S.A.C.", "20100070970", JSON.stringify(MAPPING), JSON.stringify(PAYOUT_TERMS), now, now);
  const fee = db.prepare(`INSERT INTO "FeeScheduleEntry" ("id","shopId","currency","channel","percentBps","fixedMinor","taxBps","effectiveFrom","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?)`);
  for (const entry of FEE_SCHEDULE) fee.run(randomUUID(), SHOP_ID, entry.currency, entry.channel, entry.percentBps, entry.fixedMinor, null, iso(entry.effectiveFrom.getTime()), now, now);

  const session = db.prepare(
    `INSERT INTO "PaymentSession" ("id","gid","shopId","amountMinor","currency","test","kind","proposedAt","requestId","apiVersion","requestBody","state","buyerToken","cip","cipExpiresAt","cipIssuedAt","environment","shopifyState","paidAt","paidAmountMinor","paidCurrency","operationNumber","paidVia","channel","orderId","orderName","orderFinancialStatus","createdAt","updatedAt")
     VALUES (?,?,?,?,?,0,'sale',?,?,'2026-10','{}','paid',?,?,?,?,'production','resolved',?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const notification = db.prepare(
    `INSERT INTO "PagoEfectivoNotification" ("id","shopId","paymentSessionId","cip","operationNumber","eventType","rawBody","headersJson","signature","signatureValid","verificationReason","dedupeKey","outcome","receivedAt") VALUES (?,?,?,?,?,'cip.paid',?,'{}',NULL,1,'valid:production',?,?,?)`,
  );

  const csv = createWriteStream(files.csvFile);
  let buffer = "Código CIP;Monto;Moneda;Fecha de pago;Canal;Comisión;Neto;Fecha de abono;Nro. operación\n";
  let lines = 0;
  const write = async (text: string) => {
    buffer += text;
    if (buffer.length > 1 << 20) {
      if (!csv.write(buffer)) await once(csv, "drain");
      buffer = "";
    }
  };
  const lineFor = (cip: string, amountMinor: number, currency: "PEN" | "USD", paidAtMs: number, channel: string, operation: string, commissionDelta = 0) => {
    const paidAt = new Date(paidAtMs);
    const commission = (expectations.expectedCommission({ amountMinor, currency, channel, paymentDate: paidAt }) ?? 0) + commissionDelta;
    const payout = expectations.expectedPayoutDate(paidAt, channel);
    lines += 1;
    return `${cip};${formatMinor(amountMinor)};${currency};${limaText(paidAtMs)};${channel};${formatMinor(commission)};${formatMinor(amountMinor - commission)};${limaText(payout.getTime()).slice(0, 10)};${operation}\n`;
  };

  const BATCH = 10_000;
  for (let start = 0; start < n; start += BATCH) {
    const pending: string[] = [];
    db.transaction(() => {
      for (let i = start; i < Math.min(n, start + BATCH); i += 1) {
        const slot = slotOf(i);
        const cip = String(10_000_000 + i);
        const id = `ps_${String(i).padStart(8, "0")}`;
        const currency = i % 10 === 9 ? "USD" : "PEN";
        const amount = 1_000 + ((i * 7_919) % 500_000);
        const channel = CHANNELS[i % CHANNELS.length] ?? "Agente";
        const paidAt = FIRST_PAYMENT.getTime() + Math.floor((i * SPAN_MS) / n);
        const expires = slot === "paid_after_expiry" ? paidAt - 3_600_000 : paidAt + 24 * 3_600_000;
        const paidAmount = slot === "amount_mismatch" ? amount + 100 : amount;
        const operation = String(500_000_000 + i);
        const order = slot === "paid_without_order" ? null : `gid://shopify/Order/${5_400_000_000_000 + i}`;
        const orderStatus = slot === "paid_without_order" ? null : slot === "order_pending_but_paid" ? "pending" : "paid";
        session.run(
          id, `gid://shopify/PaymentSession/${id}`, SHOP_ID, amount, currency, iso(paidAt - 3_600_000), `req_${i}`, `tok_${i}`, cip,
          iso(expires), iso(paidAt - 3_600_000), iso(paidAt), paidAmount, currency, operation,
          slot === "notification_missing" ? "polling" : "notification", channel, order, order ? `#${1_000 + i}` : null, orderStatus,
          iso(paidAt - 3_600_000), iso(paidAt),
        );
        if (slot === "paid_twice") {
          for (const op of [operation, String(600_000_000 + i)]) {
            notification.run(randomUUID(), SHOP_ID, id, cip, op, Buffer.from("{}"), `${cip}:${op}:cip.paid`, "marked_paid", iso(paidAt));
          }
        }
        if (slot) manifest.push(`${slot}:${cip}`);
        if (slot === "missing_from_settlement") continue;
        const lineAmount = slot === "settlement_amount_mismatch" ? paidAmount - 50 : paidAmount;
        const text = lineFor(cip, lineAmount, currency, paidAt, channel, operation, slot === "commission_mismatch" ? 25 : 0);
        pending.push(text);
        if (slot === "settlement_duplicate") {
          // The same line twice in the file: PagoEfectivo listed the payment twice.
          pending.push(text);
          lines += 1;
        }
        if (slot === "paid_twice") pending.push(lineFor(cip, paidAmount, currency, paidAt + 60_000, channel, String(600_000_000 + i)));
      }
    })();
    for (const text of pending) await write(text);
  }
  // Lines for CIPs this shop never issued.
  for (let t = 0; t < k; t += 1) {
    const cip = String(90_000_000 + t);
    await write(lineFor(cip, 5_000 + t, "PEN", FIRST_PAYMENT.getTime() + t * 60_000, "Agente", String(700_000_000 + t)));
    manifest.push(`settlement_unknown_cip:${cip}`);
  }
  csv.end(buffer);
  await once(csv, "finish");
  for (const trigger of searchTriggers) db.exec(trigger.sql);
  db.pragma("journal_mode = WAL");
  db.close();
  writeFileSync(files.manifestFile, JSON.stringify(manifest));
  return { payments: n, lines, planted: manifest.length, perKind: k };
}

export function scenarioFiles(dir: string): ScenarioFiles {
  return { dbFile: path.join(dir, "bench.db"), csvFile: path.join(dir, "settlement.csv"), manifestFile: path.join(dir, "manifest.json") };
}

/** Lima wall-clock time (UTC-5, no daylight saving) to the instant. Month is 1-12. */
function limaWallClockToInstant(year: number, month: number, day: number, hour = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour) + 5 * 3_600_000);
}

/** "yyyy-mm-dd hh:mm:ss" in Lima time, as the portal writes dates. */
function limaText(ms: number): string {
  return new Date(ms - 5 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}
