import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../../app/adapters/db/database";
import { SqlPaymentStore } from "../../../app/adapters/db/sql/sql-payment-store";
import { silentLogger } from "../../../app/lib/logger";
import type { NewPaymentSession } from "../../../app/ports/payment-store";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

/**
 * The record getOrCreateSession hands back for a new session is the row as stored, field for field: on SQLite it
 * is built from the values written (only the id is returned), so this holds it to a fresh read of the row, with and
 * without the issuing lease, with optional fields set or not, and with text SQLite cannot store as given.
 */
describe("a new session's record is the stored row", () => {
  let database: TestDatabase;
  let db: Database;
  let store: SqlPaymentStore;
  const at = new Date("2026-12-05T01:00:00.123Z");

  const session = (id: string, over: Partial<NewPaymentSession> = {}): NewPaymentSession => ({
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    shopId: "shop-1",
    groupId: `g-${id}`,
    checkoutSessionId: null,
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
    familyName: null,
    cancelUrl: `https://one.myshopify.com/checkouts/${id}`,
    proposedAt: new Date("2026-12-05T00:59:58.000Z"),
    requestId: `req-${id}`,
    apiVersion: "2026-10",
    requestBody: JSON.stringify({ id, amount: "150.00" }),
    state: "awaiting_phone",
    rejectionReason: null,
    buyerToken: `token-${id}`,
    environment: "sandbox",
    createdAt: at,
    ...over,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase({ engine: database.engine, url: database.url }, silentLogger);
    db = await openDatabase({ engine: database.engine, url: database.url }, silentLogger);
    store = new SqlPaymentStore(db.prisma, db.driver);
    await db.prisma.shop.create({
      data: { id: "shop-1", domain: "one.myshopify.com", status: "installed", installedAt: at, notificationKey: "key-1", locale: "es", timezone: "America/Lima", cipLifetimeHours: 48, ready: true, createdAt: at, updatedAt: at },
    });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const cases: [string, Partial<NewPaymentSession>, { claimIssuingForMs?: number }][] = [
    ["with the issuing lease", {}, { claimIssuingForMs: 65_000 }],
    ["without it", {}, {}],
    ["optional fields empty, production, rejected", { groupId: null, email: null, phone: null, phoneCountryCode: null, givenName: null, cancelUrl: null, merchantLocale: null, environment: "production", state: "rejected", rejectionReason: "not a sale", test: false, currency: "USD", amountMinor: 1 }, {}],
    ["a lone surrogate in a name (stored as SQLite stores it)", { givenName: "Mar\ud800ía", familyName: "\udc00Quispe" }, { claimIssuingForMs: 1_000 }],
  ];
  for (const [name, over, options] of cases) {
    it(name, async () => {
      const id = `ps-${name.replace(/\W+/g, "-")}`;
      const { session: record, created, claimed } = await store.getOrCreateSession(session(id, over), [{ type: "session_received", at, detail: {} }], options);
      expect(created).toBe(true);
      expect(claimed).toBe(options.claimIssuingForMs !== undefined);
      expect(record).toEqual(await store.findSession(id));
      if (options.claimIssuingForMs !== undefined) expect(record.issuingUntil).toBeInstanceOf(Date);
      else expect(record.issuingUntil).toBeNull();
      expect(record.cipAttempts).toBe(options.claimIssuingForMs !== undefined ? 1 : 0);
      // A repeat finds the stored row, the same record.
      const again = await store.getOrCreateSession(session(id, over), [], options);
      expect(again.created).toBe(false);
      expect(again.session).toEqual(record);
    });
  }
});
