import { createHash, randomBytes } from "node:crypto";

import type { BenchDb } from "../lib/bench-db";

/**
 * A shop with `count` payments spread over twelve months of 2026 (70% paid, 15% expired, 10% pending,
 * 5% rejected; 90% PEN), a settlement line for every paid payment of November, and a signed-in admin
 * session (ShopifySession row + cookie token), written in bulk with raw statements.
 */
export const REPORT_MONTH = { from: "2026-11-01", to: "2026-11-30" };
const YEAR_START = Date.UTC(2026, 0, 1, 5);
const YEAR_MS = 365 * 86_400_000;
const CHANNELS = ["agencia", "banca_movil", "billetera", "banca_internet"];

export interface SeededAdmin {
  cookie: string;
  /** A CIP that exists, for the search. */
  someCip: string;
  payments: number;
  lines: number;
}

export async function seedAdmin(db: BenchDb, shop: { id: string; domain: string }, count: number, onProgress: (done: number) => void): Promise<SeededAdmin> {
  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  await db.insertMany(
    `INSERT INTO "ShopifySession" ("id","shop","state","isOnline","scope","expires","userId","firstName","email","accountOwner","locale","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    [[createHash("sha256").update(token).digest("hex"), shop.domain, "online", true, "read_orders", new Date(now.getTime() + 86_400_000), "1", "Bench", "bench@example.pe", true, "es", now]],
  );
  const novStart = Date.UTC(2026, 10, 1, 5);
  const decStart = Date.UTC(2026, 11, 1, 5);
  const chunk = 20_000;
  let lines = 0;
  for (let from = 0; from < count; from += chunk) {
    const sessions: unknown[][] = [];
    const settlement: unknown[][] = [];
    for (let n = from; n < Math.min(count, from + chunk); n += 1) {
      const createdMs = YEAR_START + Math.floor((n / count) * YEAR_MS);
      const created = new Date(createdMs);
      const roll = n % 20;
      const state = roll < 14 ? "paid" : roll < 17 ? "expired" : roll < 19 ? "pending" : "rejected";
      const currency = n % 10 === 0 ? "USD" : "PEN";
      const amount = 1000 + ((n * 7919) % 500_000);
      const cip = String(10_000_000 + n);
      const paid = state === "paid";
      const paidAt = paid ? new Date(createdMs + 3_600_000) : null;
      const channel = paid ? CHANNELS[n % CHANNELS.length] : null;
      const id = `adm${n.toString(36)}`;
      sessions.push([
        id, `gid://shopify/PaymentSession/${id}`, shop.id, amount, currency, false, "sale", created, `r${n}`, "2026-10", "{}", state,
        `t${n.toString(36)}${randomBytes(4).toString("hex")}`, cip, new Date(createdMs + 48 * 3_600_000), created, "production",
        paidAt, paid ? amount : null, paid ? currency : null, paid ? `op${n}` : null, paid ? "notification" : null, channel,
        paid ? `#${1000 + n}` : null, `buyer${n}@example.pe`, created, created,
      ]);
      if (paid && createdMs >= novStart && createdMs < decStart) {
        const commission = Math.round(amount * 0.035);
        settlement.push([
          `line${n}`, shop.id, "bench-import", lines + 1, `key${n}`, cip, amount, currency, paidAt, channel, commission, amount - commission,
          new Date(createdMs + 3 * 86_400_000), `op${n}`, "matched", id,
        ]);
        lines += 1;
      }
    }
    await db.insertMany(
      `INSERT INTO "PaymentSession" ("id","gid","shopId","amountMinor","currency","test","kind","proposedAt","requestId","apiVersion","requestBody","state","buyerToken","cip","cipExpiresAt","cipIssuedAt","environment","paidAt","paidAmountMinor","paidCurrency","operationNumber","paidVia","channel","orderName","email","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      sessions,
    );
    if (settlement.length > 0) {
      await db.insertMany(
        `INSERT INTO "SettlementLine" ("id","shopId","importId","lineNumber","lineKey","cip","amountMinor","currency","paymentDate","channel","commissionMinor","netMinor","payoutDate","operationNumber","status","paymentSessionId") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        settlement,
      );
    }
    onProgress(Math.min(count, from + chunk));
  }
  return { cookie: `pe_admin=${token}`, someCip: String(10_000_000 + Math.floor(count / 2)), payments: count, lines };
}
