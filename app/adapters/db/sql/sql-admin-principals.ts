import type { AdminPrincipalRecord } from "../../../ports/admin-sessions";
import type { SqlDriver, SqlRow } from "./sql-driver";
import { bool, date, dateOrNull } from "./sql-rows";

/**
 * The admin session behind a cookie hash and its shop in ONE prepared statement (every /api request and
 * every /admin page reads it). Through Prisma this was two queries at ~0.4 ms of CPU each plus the query
 * compiler, most of an admin read's cost (bench/admin/RESULTS.md); here it is one indexed join (primary key
 * of ShopifySession, unique Shop.domain). Nothing is cached: a logout or an uninstall is seen by the very
 * next request, on every instance.
 */
const PRINCIPAL_SQL = `SELECT s."id", s."shop", s."scope", s."expires", s."userId", s."firstName", s."lastName", s."email",
  s."accountOwner", s."locale" AS "sessionLocale", s."createdAt" AS "sessionCreatedAt",
  h."id" AS "shopId", h."domain", h."status", h."offlineTokenEncrypted", h."scopes", h."notificationKey",
  h."locale" AS "shopLocale", h."timezone", h."cipLifetimeHours", h."paymentConcept", h."externalHandle", h."ready",
  h."notificationUrlConfirmedAt", h."legalName", h."ruc"
FROM "ShopifySession" s JOIN "Shop" h ON h."domain" = s."shop"
WHERE s."id" = ? AND s."isOnline" = ? AND s."expires" > ?`;

export async function findActivePrincipalSql(driver: SqlDriver, id: string, now: Date): Promise<AdminPrincipalRecord | null> {
  const row = await driver.get(PRINCIPAL_SQL, [id, true, now]);
  return row ? principalFromRow(row) : null;
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function principalFromRow(row: SqlRow): AdminPrincipalRecord {
  return {
    session: {
      id: String(row.id),
      shop: String(row.shop),
      scope: str(row.scope),
      expires: date(row.expires),
      userId: str(row.userId),
      firstName: str(row.firstName),
      lastName: str(row.lastName),
      email: str(row.email),
      accountOwner: row.accountOwner === null || row.accountOwner === undefined ? null : bool(row.accountOwner),
      locale: str(row.sessionLocale),
      createdAt: date(row.sessionCreatedAt),
    },
    shop: {
      id: String(row.shopId),
      domain: String(row.domain),
      status: row.status === "uninstalled" ? "uninstalled" : "installed",
      offlineTokenEncrypted: str(row.offlineTokenEncrypted),
      scopes: str(row.scopes),
      notificationKey: String(row.notificationKey),
      locale: String(row.shopLocale),
      timezone: String(row.timezone),
      cipLifetimeHours: Number(row.cipLifetimeHours),
      paymentConcept: str(row.paymentConcept),
      externalHandle: str(row.externalHandle),
      ready: bool(row.ready),
      notificationUrlConfirmedAt: dateOrNull(row.notificationUrlConfirmedAt),
      legalName: str(row.legalName),
      ruc: str(row.ruc),
    },
  };
}
