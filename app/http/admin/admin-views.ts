import { limaDateKey } from "../../domain/lima-time";
import type { PaymentDetailRow, PaymentListRow } from "../../ports/admin-read-models";
import type { AdminRefundRow } from "../../ports/admin-read-models";
import type { AdminCredential, AdminShop } from "../../ports/admin-settings";

/**
 * JSON shapes of docs/admin-api.md. Every field is listed by hand, so a new database column never
 * leaks into the API by accident (and sealed secrets never can).
 */

export const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function paymentRowView(row: PaymentListRow) {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    state: row.state,
    amountMinor: row.amountMinor,
    currency: row.currency,
    test: row.test,
    cip: row.cip,
    orderName: row.orderName,
    email: row.email,
    paidAt: iso(row.paidAt),
    cipExpiresAt: iso(row.cipExpiresAt),
  };
}

export function paymentDetailView(row: PaymentDetailRow) {
  const name = [row.givenName, row.familyName].filter((part): part is string => Boolean(part && part.trim())).join(" ");
  return {
    ...paymentRowView(row),
    gid: row.gid,
    cipUrl: row.cipUrl,
    buyer: { name: name || null, email: row.email, phone: row.phone ? `${row.phoneCountryCode ?? ""}${row.phone}` : null },
    order: row.orderId
      ? { id: row.orderId, name: row.orderName ?? row.orderId, financialStatus: row.orderFinancialStatus ?? "unknown" }
      : null,
    shopifyState: row.shopifyState,
    rejectionReason: row.rejectionReason,
    paidAmountMinor: row.paidAmountMinor,
    operationNumber: row.operationNumber,
    paidVia: row.paidVia,
  };
}

export function refundRowView(row: AdminRefundRow) {
  return {
    id: row.id,
    paymentSessionId: row.paymentSessionId,
    cip: row.cip,
    orderName: row.orderName,
    amountMinor: row.amountMinor,
    currency: row.currency,
    createdAt: row.createdAt.toISOString(),
    state: row.state,
    method: row.method,
    reference: row.reference,
    // Stored as noon in Lima of the day the merchant gave; shown back as that day.
    refundedOn: row.refundedOn ? limaDateKey(row.refundedOn) : null,
    note: row.note,
    rejectReason: row.rejectReason,
    decidedAt: iso(row.decidedAt),
  };
}

export function credentialView(credential: AdminCredential | undefined) {
  if (!credential) return null;
  return {
    accessKey: credential.accessKey,
    idService: credential.idService,
    hasSecretKey: true as const,
    verifiedAt: iso(credential.verifiedAt),
    lastTestError: credential.lastTestError,
  };
}

export function settingsView(shop: AdminShop, credentials: AdminCredential[], notificationUrl: string) {
  return {
    cipLifetimeHours: shop.cipLifetimeHours,
    paymentConcept: shop.paymentConcept,
    locale: shop.locale === "en" ? "en" : "es",
    timezone: shop.timezone,
    legalName: shop.legalName,
    ruc: shop.ruc,
    notificationUrl,
    notificationUrlConfirmedAt: iso(shop.notificationUrlConfirmedAt),
    ready: shop.ready,
    externalHandle: shop.externalHandle,
    credentials: {
      sandbox: credentialView(credentials.find((c) => c.environment === "sandbox")),
      production: credentialView(credentials.find((c) => c.environment === "production")),
    },
  };
}

export function notificationUrlFor(appUrl: string, shop: Pick<AdminShop, "notificationKey">): string {
  return `${appUrl}/webhooks/pagoefectivo/${shop.notificationKey}`;
}
