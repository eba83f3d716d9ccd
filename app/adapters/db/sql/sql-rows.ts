import type { PaymentState } from "../../../domain/payment-session";
import type { CredentialRecord, PaymentSessionRecord, ShopRecord } from "../../../ports/payment-store";
import { storedCurrency } from "../stored-currency";
import type { SqlRow, SqlValue } from "./sql-driver";

/**
 * Rows as both drivers return them → the records the ports promise. SQLite gives DATETIME as text
 * (Prisma's ISO format) and BOOLEAN as 0/1; PostgreSQL gives Date and boolean (see PgDriver).
 */
export function date(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : date(value);
}

export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === 1n;
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** The Shop columns a ShopRecord is made of. */
export const SHOP_COLUMNS = ["id", "domain", "status", "offlineTokenEncrypted", "notificationKey", "locale", "timezone", "cipLifetimeHours", "paymentConcept", "ready", "name"] as const;

export function shopFromRow(row: SqlRow): ShopRecord {
  return {
    id: String(row.id),
    domain: String(row.domain),
    status: row.status === "uninstalled" ? "uninstalled" : "installed",
    offlineTokenEncrypted: str(row.offlineTokenEncrypted),
    notificationKey: String(row.notificationKey),
    locale: String(row.locale),
    timezone: String(row.timezone),
    cipLifetimeHours: num(row.cipLifetimeHours),
    paymentConcept: str(row.paymentConcept),
    ready: bool(row.ready),
    name: str(row.name),
  };
}

export function credentialFromRow(row: SqlRow): CredentialRecord {
  return {
    shopId: String(row.shopId),
    environment: row.environment === "production" ? "production" : "sandbox",
    accessKey: String(row.accessKey),
    secretKeyEncrypted: String(row.secretKeyEncrypted),
    idService: num(row.idService),
    verifiedAt: dateOrNull(row.verifiedAt),
  };
}

export function sessionFromRow(row: SqlRow): PaymentSessionRecord {
  return {
    id: String(row.id),
    gid: String(row.gid),
    shopId: String(row.shopId),
    groupId: str(row.groupId),
    checkoutSessionId: str(row.checkoutSessionId),
    amountMinor: num(row.amountMinor),
    currency: storedCurrency(row.currency, "PaymentSession"),
    test: bool(row.test),
    kind: String(row.kind),
    merchantLocale: str(row.merchantLocale),
    buyerLocale: str(row.buyerLocale),
    email: str(row.email),
    phone: str(row.phone),
    phoneCountryCode: str(row.phoneCountryCode),
    givenName: str(row.givenName),
    familyName: str(row.familyName),
    cancelUrl: str(row.cancelUrl),
    proposedAt: date(row.proposedAt),
    requestId: String(row.requestId),
    apiVersion: String(row.apiVersion),
    requestBody: String(row.requestBody),
    state: String(row.state) as PaymentState,
    buyerToken: String(row.buyerToken),
    cip: str(row.cip),
    cipUrl: str(row.cipUrl),
    cipExpiresAt: dateOrNull(row.cipExpiresAt),
    cipIssuedAt: dateOrNull(row.cipIssuedAt),
    cipAttempts: num(row.cipAttempts),
    issuingUntil: dateOrNull(row.issuingUntil),
    environment: row.environment === "production" ? "production" : "sandbox",
    nextActionUrl: str(row.nextActionUrl),
    shopifyState: str(row.shopifyState),
    paidAt: dateOrNull(row.paidAt),
    paidAmountMinor: numOrNull(row.paidAmountMinor),
    paidCurrency: str(row.paidCurrency),
    operationNumber: str(row.operationNumber),
    paidVia: str(row.paidVia),
    channel: str(row.channel),
    orderId: str(row.orderId),
    orderName: str(row.orderName),
    orderFinancialStatus: str(row.orderFinancialStatus),
    rejectionReason: str(row.rejectionReason),
    lastPolledAt: dateOrNull(row.lastPolledAt),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  };
}

/** Every column a PaymentSession row has (the record's fields, in the schema's order). */
export const SESSION_COLUMNS = [
  "id", "gid", "shopId", "groupId", "checkoutSessionId", "amountMinor", "currency", "test", "kind", "merchantLocale",
  "buyerLocale", "email", "phone", "phoneCountryCode", "givenName", "familyName", "cancelUrl", "proposedAt", "requestId",
  "apiVersion", "requestBody", "state", "buyerToken", "cip", "cipUrl", "cipExpiresAt", "cipIssuedAt", "cipAttempts",
  "issuingUntil", "environment", "nextActionUrl", "shopifyState", "paidAt", "paidAmountMinor", "paidCurrency",
  "operationNumber", "paidVia", "channel", "orderId", "orderName", "orderFinancialStatus", "rejectionReason",
  "lastPolledAt", "createdAt", "updatedAt",
] as const;
const SESSION_COLUMN_SET = new Set<string>(SESSION_COLUMNS);

/** Guards dynamic column names (a change's `set` keys) before they are written into SQL. */
export function sessionColumn(name: string): string {
  if (!SESSION_COLUMN_SET.has(name)) throw new Error(`Not a PaymentSession column: ${name}`);
  return `"${name}"`;
}

export function sqlValue(value: unknown): SqlValue {
  if (value === undefined) return null;
  return value as SqlValue;
}
