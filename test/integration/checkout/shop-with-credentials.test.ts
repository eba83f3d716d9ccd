import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../../app/adapters/db/database";
import { SqlPaymentStore } from "../../../app/adapters/db/sql/sql-payment-store";
import { silentLogger } from "../../../app/lib/logger";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

/**
 * The payment session's one read (PaymentStore.findShopWithCredentials): the shop and the credentials of the asked
 * environment only, a shop without them still found (credentials null), an unknown domain null; the same answer as
 * the two separate reads it replaces, on whichever engine the suite runs.
 */
describe("findShopWithCredentials", () => {
  let database: TestDatabase;
  let db: Database;
  let store: SqlPaymentStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase({ engine: database.engine, url: database.url }, silentLogger);
    db = await openDatabase({ engine: database.engine, url: database.url }, silentLogger);
    store = new SqlPaymentStore(db.prisma, db.driver);
    const now = new Date("2026-12-04T12:00:00.000Z");
    await db.prisma.shop.create({
      data: { id: "shop-1", domain: "one.myshopify.com", status: "installed", installedAt: now, notificationKey: "key-1", locale: "es", timezone: "America/Lima", cipLifetimeHours: 48, ready: true, createdAt: now, updatedAt: now },
    });
    await db.prisma.pagoEfectivoCredential.create({
      data: { id: "c1", shopId: "shop-1", environment: "sandbox", accessKey: "ak", secretKeyEncrypted: "sealed", idService: 1234, verifiedAt: now, createdAt: now, updatedAt: now },
    });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("answers the shop with the asked environment's credentials, or none, as the two reads do", async () => {
    for (const environment of ["sandbox", "production"] as const) {
      const found = await store.findShopWithCredentials("one.myshopify.com", environment);
      expect(found?.shop).toEqual(await store.findShopByDomain("one.myshopify.com"));
      expect(found?.credentials ?? null).toEqual(await store.findCredentials("shop-1", environment));
    }
    expect((await store.findShopWithCredentials("one.myshopify.com", "sandbox"))?.credentials).toMatchObject({ environment: "sandbox", idService: 1234, accessKey: "ak" });
    expect((await store.findShopWithCredentials("one.myshopify.com", "production"))?.credentials).toBeNull();
    expect(await store.findShopWithCredentials("other.myshopify.com", "sandbox")).toBeNull();
  });
});
