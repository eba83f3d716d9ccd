import {
  type CredentialAnswer,
  currency,
  type Customer,
  type PaymentDetailAnswer,
  type PaymentRowAnswer,
  paymentState,
  type RefundAnswer,
  refundMethod,
  refundState,
  type SettingsAnswer,
} from "../../contracts/admin-api";
import { limaDateKey } from "../../domain/lima-time";
import { isLinkConfidence } from "../../domain/order-link";
import { orderStatusShown } from "../../domain/order-status-shown";
import { rejectionCode } from "../../domain/rejection-reason";
import type { PaymentDetailRow, PaymentListRow } from "../../ports/admin-read-models";
import type { AdminRefundRow } from "../../ports/admin-read-models";
import type { AdminCredential, AdminShop } from "../../ports/admin-settings";

/**
 * JSON shapes of docs/admin-api.md. Every field is listed by hand, so a new database column never
 * leaks into the API by accident (and sealed secrets never can).
 */

export const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function paymentRowView(row: PaymentListRow): PaymentRowAnswer {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    // The database holds these as text; a value outside the contract is a bug, answered as a 500.
    state: paymentState.parse(row.state),
    amountMinor: row.amountMinor,
    currency: currency.parse(row.currency),
    test: row.test,
    cip: row.cip,
    orderName: row.orderName,
    email: row.email,
    paidAt: iso(row.paidAt),
    cipExpiresAt: iso(row.cipExpiresAt),
  };
}

export function paymentDetailView(row: PaymentDetailRow): PaymentDetailAnswer["payment"] {
  return {
    ...paymentRowView(row),
    gid: row.gid,
    cipUrl: row.cipUrl,
    buyer: customerView(row),
    order: row.orderId
      ? { id: row.orderId, name: row.orderName ?? row.orderId, financialStatus: orderStatusShown(row.orderFinancialStatus, row.shopifyState) }
      : null,
    // exact | high | medium (linked by documented facts, app/domain/order-link.ts) | merchant (by hand;
    // with order null: the merchant removed the link) | null (not linked yet).
    linkConfidence: row.orderLinkConfidence !== null && isLinkConfidence(row.orderLinkConfidence) ? row.orderLinkConfidence : null,
    shopifyState: row.shopifyState,
    rejectionCode: rejectionCode(row.rejectionReason),
    rejectionReason: row.rejectionReason,
    paidAmountMinor: row.paidAmountMinor,
    operationNumber: row.operationNumber,
    paidVia: row.paidVia,
  };
}

/** The buyer as the merchant needs them to pay a refund back (Yape, Plin or transfer): name, e-mail, phone. */
export function customerView(row: BuyerFields): Customer {
  const name = [row.givenName, row.familyName].filter((part): part is string => Boolean(part && part.trim())).join(" ");
  return { name: name || null, email: row.email, phone: row.phone ? `${row.phoneCountryCode ?? ""}${row.phone}` : null };
}

interface BuyerFields {
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  phone: string | null;
  phoneCountryCode: string | null;
}

export function refundRowView(row: AdminRefundRow): RefundAnswer {
  return {
    id: row.id,
    paymentSessionId: row.paymentSessionId,
    cip: row.cip,
    orderName: row.orderName,
    customer: customerView(row),
    amountMinor: row.amountMinor,
    currency: currency.parse(row.currency),
    createdAt: row.createdAt.toISOString(),
    state: refundState.parse(row.state),
    method: row.method === null ? null : refundMethod.parse(row.method),
    reference: row.reference,
    // Stored as noon in Lima of the day the merchant gave; shown back as that day.
    refundedOn: row.refundedOn ? limaDateKey(row.refundedOn) : null,
    note: row.note,
    rejectReason: row.rejectReason,
    decidedAt: iso(row.decidedAt),
  };
}

export function credentialView(credential: AdminCredential | undefined): CredentialAnswer | null {
  if (!credential) return null;
  return {
    accessKey: credential.accessKey,
    idService: credential.idService,
    hasSecretKey: true as const,
    verifiedAt: iso(credential.verifiedAt),
    lastTestError: credential.lastTestError,
  };
}

export function settingsView(shop: AdminShop, credentials: AdminCredential[], notificationUrl: string): SettingsAnswer {
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
