import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Database, migrateDatabase, openDatabase } from "../../../app/adapters/db/database";
import { PrismaAdminPayments } from "../../../app/adapters/db/prisma-admin-payments";
import { searchIndexOf } from "../../../app/adapters/db/sqlite-search-index";
import { silentLogger } from "../../../app/lib/logger";
import type { PaymentListFilter } from "../../../app/ports/admin-read-models";
import { searchIndexReady } from "../../helpers/search-index";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

/**
 * Issue #13, payment sessions: on SQLite a payment's CIP has its own row in the trigram search index, written once
 * when the CIP is set, instead of re-writing the payment's whole row (migration 20261204223000_payment_search_cip_row).
 * The admin search answers as before through every change of the CIP alone, and payments stored before that
 * migration (their CIP in their first row) are found the same way after it. On PostgreSQL (no triggers) the same
 * answers.
 */
const MIGRATION = "20261204223000_payment_search_cip_row";

describe("payment search with the CIP in a row of its own", () => {
  let testDb: TestDatabase;
  let db: Database;
  let payments: PrismaAdminPayments;
  let oldMigrations: string | null = null;
  const now = new Date("2026-11-10T15:00:00Z");
  const noFilter: PaymentListFilter = { states: null, createdFrom: null, createdBefore: null, currency: null, test: null, q: null };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const config = { engine: testDb.engine, url: testDb.url };
    if (testDb.engine === "sqlite") {
      // Migrated as the app was before this migration, with payments in it; then the rest.
      oldMigrations = mkdtempSync(path.join(tmpdir(), "pe-migrations-"));
      // This migration and every later one are left out (they build on it).
      const later = (source: string) => source.split(path.sep).some((part) => /^\d{14}_/.test(part) && part >= MIGRATION);
      cpSync(path.join(process.cwd(), "prisma/migrations"), oldMigrations, { recursive: true, filter: (source) => !later(source) });
      await migrateDatabase(config, silentLogger, oldMigrations);
    } else {
      await migrateDatabase(config, silentLogger);
    }
    db = await openDatabase(config, silentLogger);
    payments = new PrismaAdminPayments(db.prisma, db.engine, db.driver);
    await db.prisma.shop.create({ data: { id: "shop-a", domain: "shop-a.myshopify.com", status: "installed", installedAt: now, notificationKey: "key-a", createdAt: now, updatedAt: now } });
    await db.prisma.paymentSession.createMany({ data: [payment("before-1", "4440001", "old@example.pe", 1), payment("before-2", null, "older@example.pe", 2)] });
    if (testDb.engine === "sqlite") {
      await db.close();
      await migrateDatabase(config, silentLogger);
      db = await openDatabase(config, silentLogger);
      payments = new PrismaAdminPayments(db.prisma, db.engine, db.driver);
      // The first build of the index (the payments stored before it moved to its own file) is awaited, so the searches
      // below go through the index, not the direct match served while it is built.
      await searchIndexReady(db);
    }
  });

  afterAll(async () => {
    await db.close();
    await testDb.drop();
    if (oldMigrations) rmSync(oldMigrations, { recursive: true, force: true });
  });

  const payment = (id: string, cip: string | null, email: string, minutes: number) => ({
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    shopId: "shop-a",
    amountMinor: 1000,
    currency: "PEN",
    test: false,
    kind: "sale",
    proposedAt: now,
    requestId: `r-${id}`,
    apiVersion: "2026-10",
    requestBody: "{}",
    state: cip ? "pending" : "awaiting_phone",
    buyerToken: `t-${id}`,
    cip,
    environment: "sandbox",
    email,
    createdAt: new Date(now.getTime() + minutes * 60_000),
    updatedAt: now,
  });
  const search = async (q: string) => (await payments.list("shop-a", { ...noFilter, q }, { field: "createdAt", direction: "asc" }, { skip: 0, take: 25 })).items.map((row) => row.id);

  it("finds payments stored before the migration by CIP, email and id", async () => {
    expect(await search("4440001")).toEqual(["before-1"]);
    expect(await search("old@")).toEqual(["before-1"]);
    expect(await search("older@")).toEqual(["before-2"]);
    expect(await search("fore-")).toEqual(["before-1", "before-2"]);
  });

  it("follows the CIP alone: set, replaced, cleared, with the id and email still found", async () => {
    await db.prisma.paymentSession.create({ data: payment("fresh-1", null, "fresh@example.pe", 3) });
    expect(await search("8880001")).toEqual([]);
    await db.prisma.paymentSession.update({ where: { id: "fresh-1" }, data: { cip: "8880001", state: "pending" } });
    await db.prisma.paymentSession.update({ where: { id: "before-2" }, data: { cip: "8880002", state: "pending" } });
    expect(await search("888000")).toEqual(["before-2", "fresh-1"]);
    expect(await search("fresh@")).toEqual(["fresh-1"]);
    expect(await search("esh-1")).toEqual(["fresh-1"]);
    await db.prisma.paymentSession.update({ where: { id: "fresh-1" }, data: { cip: "9990001" } });
    await db.prisma.paymentSession.update({ where: { id: "before-1" }, data: { cip: "9990002" } });
    expect(await search("888000")).toEqual(["before-2"]);
    expect(await search("4440001")).toEqual([]);
    expect(await search("999000")).toEqual(["before-1", "fresh-1"]);
    await db.prisma.paymentSession.update({ where: { id: "fresh-1" }, data: { cip: null } });
    expect(await search("999000")).toEqual(["before-1"]);
    expect(await search("fresh@")).toEqual(["fresh-1"]);
  });

  it("keeps the CIP found when the email or order name changes, the same value set again, or the row deleted", async () => {
    await db.prisma.paymentSession.update({ where: { id: "before-2" }, data: { email: "new@example.pe", orderName: "#2042" } });
    expect(await search("8880002")).toEqual(["before-2"]);
    expect(await search("older@")).toEqual([]);
    expect(await search("new@ex")).toEqual(["before-2"]);
    expect(await search("#2042")).toEqual(["before-2"]);
    await db.prisma.paymentSession.update({ where: { id: "before-2" }, data: { cip: "8880002", email: "new@example.pe" } });
    expect(await search("8880002")).toEqual(["before-2"]);
    expect(await search("new@ex")).toEqual(["before-2"]);
    await db.prisma.paymentSession.delete({ where: { id: "before-2" } });
    expect(await search("8880002")).toEqual([]);
    expect(await search("new@ex")).toEqual([]);
    if (db.engine === "sqlite") {
      // The index (in the search file its worker keeps, sqlite-search-index.ts) holds no row of the deleted payment.
      const index = searchIndexOf(db.driver);
      expect(await index?.catchUp()).toBe(true);
      const left = index?.all(`SELECT COUNT(*) AS n FROM search."PaymentSearch" WHERE "paymentId" = ?`, ["before-2"]);
      expect(Number(left?.[0]?.n)).toBe(0);
    }
  });
});
