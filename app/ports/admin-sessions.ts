import type { AdminShop } from "./admin-settings";

/**
 * Admin panel sessions (online Shopify sessions). The stored id is the SHA-256 of the cookie value, so a
 * copy of the table does not hand out working cookies; the online token is sealed.
 */
export interface AdminSessionRecord {
  id: string;
  shop: string;
  scope: string | null;
  expires: Date;
  userId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  accountOwner: boolean | null;
  locale: string | null;
  createdAt: Date;
}

export interface NewAdminSession extends AdminSessionRecord {
  state: string;
  accessTokenEncrypted: string;
}

export interface AdminSessionStore extends AdminPrincipalReader {
  create(session: NewAdminSession): Promise<void>;
  findActive(id: string, now: Date): Promise<AdminSessionRecord | null>;
  delete(id: string): Promise<void>;
}

/** A live admin session and the shop it belongs to, read together (one query per admin request). */
export interface AdminPrincipalRecord {
  session: AdminSessionRecord;
  shop: AdminShop;
}

export interface AdminPrincipalReader {
  /** The online session behind a cookie hash if it has not expired, with its shop (whatever the shop's status). */
  findActivePrincipal(id: string, now: Date): Promise<AdminPrincipalRecord | null>;
}
