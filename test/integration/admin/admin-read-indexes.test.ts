import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../../app/adapters/db/database";
import { PrismaAdminPayments } from "../../../app/adapters/db/prisma-admin-payments";
import { PrismaAdminSessionStore } from "../../../app/adapters/db/prisma-admin-sessions";
import { PrismaSettlementLines } from "../../../app/adapters/db/prisma-settlement-lines";
import { silentLogger } from "../../../app/lib/logger";
import type { PaymentListFilter } from "../../../app/ports/admin-read-models";
import type { NewSettlementLine } from "../../../app/ports/settlement-imports";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

/**
 * The admin reads made fast for issue #13 keep their answers: the payments search through its trigram
 * index follows every change to the searched columns, and a cached settlement report is never served
 * after the shop's lines change (insert or delete of an import's lines).
 */
describe("admin reads over their indexes and caches", () => {
  let testDb: TestDatabase;
  let db: Database;
  let payments: PrismaAdminPayments;
  const now = new Date("2026-11-10T15:00:00Z");
  const noFilter: PaymentListFilter = { states: null, createdFrom: null, createdBefore: null, currency: null, test: null, q: null };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await migrateDatabase({ engine: testDb.engine, url: testDb.url }, silentLogger);
    db = await openDatabase({ engine: testDb.engine, url: testDb.url }, silentLogger);
    payments = new PrismaAdminPayments(db.prisma, db.engine, db.driver);
    for (const id of ["shop-a", "shop-b"]) {
      await db.prisma.shop.create({
        data: { id, domain: `${id}.myshopify.com`, status: "installed", installedAt: now, notificationKey: `key-${id}`, createdAt: now, updatedAt: now },
      });
    }
    const payment = (id: string, shopId: string, cip: string, email: string, minutes: number) => ({
      id,
      gid: `gid://shopify/PaymentSession/${id}`,
      shopId,
      amountMinor: 1000,
      currency: "PEN",
      test: false,
      kind: "sale",
      proposedAt: now,
      requestId: `r-${id}`,
      apiVersion: "2026-10",
      requestBody: "{}",
      state: "pending",
      buyerToken: `t-${id}`,
      cip,
      environment: "sandbox",
      email,
      createdAt: new Date(now.getTime() + minutes * 60_000),
      updatedAt: now,
    });
    await db.prisma.paymentSession.createMany({
      data: [
        payment("pay-one", "shop-a", "5550001", "Ana@Example.pe", 1),
        payment("pay-two", "shop-a", "5550002", "50%_off@example.pe", 2),
        payment("p3", "shop-a", "5559003", "luis@example.pe", 3),
        payment("pay-other", "shop-b", "5550004", "ana@example.pe", 4),
      ],
    });
  });

  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  const search = async (q: string, shopId = "shop-a") =>
    (await payments.list(shopId, { ...noFilter, q }, { field: "createdAt", direction: "desc" }, { skip: 0, take: 25 })).items.map((row) => row.id);

  it("finds a substring of the CIP, email or id, case-insensitively, in the shop's payments only", async () => {
    expect(await search("55500")).toEqual(["pay-two", "pay-one"]);
    expect(await search("ANA@")).toEqual(["pay-one"]);
    expect(await search("ana@", "shop-b")).toEqual(["pay-other"]);
    expect(await search("y-tw")).toEqual(["pay-two"]);
    expect(await search("9")).toEqual(["p3"]);
    // One pass over the index gives the page (rows in order, every column) and the bounded total.
    const paged = await payments.list("shop-a", { ...noFilter, q: "55500" }, { field: "createdAt", direction: "asc" }, { skip: 1, take: 1 });
    expect(paged).toMatchObject({ total: 2, totalIsLowerBound: false, items: [{ id: "pay-two", cip: "5550002", email: "50%_off@example.pe", amountMinor: 1000, test: false }] });
    expect(paged.items[0]?.createdAt).toEqual(new Date(now.getTime() + 2 * 60_000));
  });

  it("takes %, _ and \\ literally", async () => {
    expect(await search("%_o")).toEqual(["pay-two"]);
    expect(await search("%")).toEqual(["pay-two"]);
    expect(await search("a_a")).toEqual([]);
  });

  it("follows changes of the searched columns and deletions", async () => {
    await db.prisma.paymentSession.update({ where: { id: "pay-one" }, data: { cip: "7770001", email: "zoe@example.pe" } });
    await db.prisma.paymentSession.update({ where: { id: "p3" }, data: { email: "rosa@example.pe" } });
    await db.prisma.paymentSession.update({ where: { id: "pay-two" }, data: { state: "paid" } });
    expect(await search("5550001")).toEqual([]);
    expect(await search("7770001")).toEqual(["pay-one"]);
    expect(await search("ana@")).toEqual([]);
    expect(await search("zoe@")).toEqual(["pay-one"]);
    expect(await search("luis")).toEqual([]);
    expect(await search("rosa")).toEqual(["p3"]);
    expect(await search("55500")).toEqual(["pay-two"]);
    await db.prisma.paymentSession.delete({ where: { id: "pay-two" } });
    expect(await search("55500")).toEqual([]);
    const page = await payments.list("shop-a", noFilter, { field: "createdAt", direction: "desc" }, { skip: 0, take: 1 });
    expect(page).toMatchObject({ total: 2, totalIsLowerBound: false });
    expect(page.items.map((row) => row.id)).toEqual(["p3"]);
  });

  it.each([
    { reader: "Prisma", shopId: "shop-a", withDriver: false },
    { reader: "the driver's prepared statement", shopId: "shop-b", withDriver: true },
  ])("serves a settlement report from cache only while the shop's lines are unchanged (version read by $reader)", async ({ shopId, withDriver }) => {
    const lines = new PrismaSettlementLines(db.prisma, db.engine, withDriver ? db.driver : null);
    const importRow = (id: string) => ({ id, shopId, fileName: `${id}.csv`, fileHash: id, format: "csv", status: "done", createdAt: now });
    const imp1 = `${shopId}-imp-1`;
    const imp2 = `${shopId}-imp-2`;
    await db.prisma.settlementImport.createMany({ data: [importRow(imp1), importRow(imp2)] });
    const line = (n: number, amountMinor: number): NewSettlementLine => ({
      lineNumber: n,
      lineKey: `k${n}`,
      cip: `cip${n}`,
      amountMinor,
      currency: "PEN",
      paymentDate: new Date("2026-11-05T15:00:00Z"),
      channel: "agencia",
      commissionMinor: 10,
      netMinor: amountMinor - 10,
      payoutDate: null,
      operationNumber: null,
    });
    const filter = { basis: "payment" as const, from: new Date("2026-11-01T05:00:00Z"), to: new Date("2026-12-01T04:59:59.999Z"), currency: null };
    const gross = async () => (await lines.reportGroups(shopId, filter)).reduce((sum, g) => sum + g.grossMinor, 0);
    await lines.insertNew(shopId, imp1, [line(1, 1000), line(2, 2000)]);
    expect(await gross()).toBe(3000);
    expect(await gross()).toBe(3000);
    await lines.insertNew(shopId, imp2, [line(3, 500)]);
    expect(await gross()).toBe(3500);
    await lines.deleteImportLines(imp1);
    expect(await gross()).toBe(500);
    // A change behind the adapter's back (another instance) is seen once it bumps the version, as every writer does.
    await db.prisma.settlementLine.updateMany({ where: { importId: imp2 }, data: { amountMinor: 700 } });
    expect(await gross()).toBe(500);
    await db.prisma.shop.update({ where: { id: shopId }, data: { settlementLinesVersion: { increment: 1 } } });
    expect(await gross()).toBe(700);
  });

  it("reads an admin session and its shop in one statement, as the two Prisma reads did", async () => {
    const withDriver = new PrismaAdminSessionStore(db.prisma, db.driver);
    const withPrisma = new PrismaAdminSessionStore(db.prisma);
    const session = (id: string, shop: string, expires: Date, isOnline = true) => ({
      id,
      shop,
      state: "online",
      isOnline,
      scope: "read_orders",
      expires,
      accessTokenEncrypted: "sealed",
      userId: "42",
      firstName: "Ana",
      lastName: null,
      email: "ana@example.pe",
      accountOwner: id === "s-live" ? true : null,
      locale: "es",
      createdAt: now,
    });
    const later = new Date(now.getTime() + 3_600_000);
    await db.prisma.shopifySession.createMany({
      data: [
        session("s-live", "shop-a.myshopify.com", later),
        session("s-expired", "shop-a.myshopify.com", now),
        session("s-offline", "shop-a.myshopify.com", later, false),
        session("s-no-shop", "gone.myshopify.com", later),
        session("s-b", "shop-b.myshopify.com", later),
      ],
    });
    await db.prisma.shop.update({ where: { id: "shop-b" }, data: { status: "uninstalled", ruc: "20123456789", ready: true, notificationUrlConfirmedAt: now } });
    for (const id of ["s-live", "s-expired", "s-offline", "s-no-shop", "s-b", "s-unknown"]) {
      expect(await withDriver.findActivePrincipal(id, now), id).toEqual(await withPrisma.findActivePrincipal(id, now));
    }
    const live = await withDriver.findActivePrincipal("s-live", now);
    expect(live?.session).toMatchObject({ id: "s-live", shop: "shop-a.myshopify.com", expires: later, accountOwner: true, lastName: null, createdAt: now });
    expect(live?.shop).toMatchObject({ id: "shop-a", status: "installed", ready: false, notificationUrlConfirmedAt: null });
    expect(await withDriver.findActivePrincipal("s-expired", now)).toBeNull();
    expect(await withDriver.findActivePrincipal("s-offline", now)).toBeNull();
    expect(await withDriver.findActivePrincipal("s-no-shop", now)).toBeNull();
    expect((await withDriver.findActivePrincipal("s-b", now))?.shop).toMatchObject({ status: "uninstalled", ruc: "20123456789", ready: true, notificationUrlConfirmedAt: now });
    // Logout deletes the row: the next read (never cached) finds nothing.
    await withDriver.delete("s-live");
    expect(await withDriver.findActivePrincipal("s-live", now)).toBeNull();
  });
});
