import { randomBytes } from "node:crypto";

import { SecretBox } from "../../app/adapters/crypto/secret-box";
import type { BenchDb } from "./bench-db";

/** One installed, ready shop with sandbox credentials, as the admin panel would have saved it. */
export interface BenchShop {
  id: string;
  domain: string;
  notificationKey: string;
  accessKey: string;
  secretKey: string;
  idService: number;
}

export async function seedShop(db: BenchDb, encryptionKey: Buffer, index = 0): Promise<BenchShop> {
  const now = new Date();
  const shop: BenchShop = {
    id: `bench-shop-${index}`,
    domain: `bench-${index}.myshopify.com`,
    notificationKey: randomBytes(16).toString("hex"),
    accessKey: `BENCH${randomBytes(5).toString("hex").toUpperCase()}`,
    secretKey: randomBytes(24).toString("base64url"),
    idService: 7000 + index,
  };
  const box = new SecretBox(encryptionKey);
  await db.insertMany(
    `INSERT INTO "Shop" ("id","domain","status","installedAt","offlineTokenEncrypted","notificationKey","locale","timezone","cipLifetimeHours","ready","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    [[shop.id, shop.domain, "installed", now, box.encrypt("shpat_bench"), shop.notificationKey, "es", "America/Lima", 48, true, now, now]],
  );
  await db.insertMany(
    `INSERT INTO "PagoEfectivoCredential" ("id","shopId","environment","accessKey","secretKeyEncrypted","idService","verifiedAt","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?)`,
    ["sandbox", "production"].map((environment) => [`${shop.id}-${environment}`, shop.id, environment, shop.accessKey, box.encrypt(shop.secretKey), shop.idService, now, now, now]),
  );
  return shop;
}

/** CIP number of pending session n (distinct across the whole benchmark). */
export const cipOf = (n: number) => String(40_000_000 + n);
export const sessionIdOf = (n: number) => `bench-session-${n}`;

/** Pending sessions [from, from + count) with their CIPs issued, as after a checkout. */
export async function seedPendingSessions(db: BenchDb, shopId: string, from: number, count: number): Promise<void> {
  const now = new Date();
  const expires = new Date(now.getTime() + 48 * 3_600_000);
  const rows: unknown[][] = [];
  for (let n = from; n < from + count; n += 1) {
    const id = sessionIdOf(n);
    rows.push([
      id,
      `gid://shopify/PaymentSession/${id}`,
      shopId,
      15000,
      "PEN",
      true,
      "sale",
      now,
      `req-${n}`,
      "2026-10",
      "{}",
      "pending",
      `tok-${n}-${randomBytes(6).toString("hex")}`,
      cipOf(n),
      `https://pre1a.payment.pagoefectivo.pe/${cipOf(n)}.html`,
      expires,
      now,
      "sandbox",
      now,
      now,
    ]);
  }
  for (let i = 0; i < rows.length; i += 20_000) {
    await db.insertMany(
      `INSERT INTO "PaymentSession" ("id","gid","shopId","amountMinor","currency","test","kind","proposedAt","requestId","apiVersion","requestBody","state","buyerToken","cip","cipUrl","cipExpiresAt","cipIssuedAt","environment","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      rows.slice(i, i + 20_000),
    );
  }
}

/** A signed `cip.paid` body for session n, as PagoEfectivo sends it (DOC: eventType, operationNumber, data). */
export function paidNotification(n: number): string {
  return JSON.stringify({
    eventType: "cip.paid",
    operationNumber: String(900_000_000 + n),
    data: { cip: cipOf(n), currency: "PEN", amount: 150.0, transactionCode: sessionIdOf(n), paymentDate: "2026-12-04 10:00:00" },
  });
}
