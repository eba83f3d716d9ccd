import type { AdminPrincipalRecord, AdminSessionRecord, AdminSessionStore, NewAdminSession } from "../../ports/admin-sessions";
import type { Db } from "./database";
import { ADMIN_SHOP_SELECT, toAdminShop } from "./prisma-admin-settings";
import { findActivePrincipalSql } from "./sql/sql-admin-principals";
import type { SqlDriver } from "./sql/sql-driver";

/**
 * Admin panel sessions, stored as online ShopifySession rows. The row id is the SHA-256 of the
 * cookie value, so a copy of the table does not hand out working cookies; the online token is sealed.
 */

export class PrismaAdminSessionStore implements AdminSessionStore {
  constructor(
    private readonly db: Db,
    /** The driver under Prisma for the per-request principal read; without it (tests of the Prisma path) Prisma runs it. */
    private readonly driver: SqlDriver | null = null,
  ) {}

  async create(session: NewAdminSession): Promise<void> {
    await this.db.$transaction(async (tx) => {
      // Housekeeping on the way in: a shop's expired sessions are of no use to anyone.
      await tx.shopifySession.deleteMany({ where: { shop: session.shop, isOnline: true, expires: { lt: session.createdAt } } });
      await tx.shopifySession.create({
        data: {
          id: session.id,
          shop: session.shop,
          state: session.state,
          isOnline: true,
          scope: session.scope,
          expires: session.expires,
          accessTokenEncrypted: session.accessTokenEncrypted,
          userId: session.userId,
          firstName: session.firstName,
          lastName: session.lastName,
          email: session.email,
          accountOwner: session.accountOwner,
          locale: session.locale,
          createdAt: session.createdAt,
        },
      });
    });
  }

  /** The session behind a cookie hash, if it is an online session that has not expired. */
  async findActive(id: string, now: Date): Promise<AdminSessionRecord | null> {
    const row = await this.db.shopifySession.findFirst({ where: { id, isOnline: true, expires: { gt: now } } });
    if (!row || !row.expires) return null;
    return {
      id: row.id,
      shop: row.shop,
      scope: row.scope,
      expires: row.expires,
      userId: row.userId,
      firstName: row.firstName,
      lastName: row.lastName,
      email: row.email,
      accountOwner: row.accountOwner,
      locale: row.locale,
      createdAt: row.createdAt,
    };
  }

  /** The session and its shop, in one prepared statement on the driver (see sql-admin-principals.ts). */
  async findActivePrincipal(id: string, now: Date): Promise<AdminPrincipalRecord | null> {
    if (this.driver) return findActivePrincipalSql(this.driver, id, now);
    const session = await this.findActive(id, now);
    if (!session) return null;
    const shop = await this.db.shop.findUnique({ where: { domain: session.shop }, select: ADMIN_SHOP_SELECT });
    return shop ? { session, shop: toAdminShop(shop) } : null;
  }

  async delete(id: string): Promise<void> {
    await this.db.shopifySession.deleteMany({ where: { id, isOnline: true } });
  }
}
