import { createHmac } from "node:crypto";

import { type EmulatorCurrency, formatMinor } from "./emulator-money";
import { formatLimaDateTime } from "./lima-time";

export interface PaidNotification {
  operationNumber: string;
  cip: string;
  currency: EmulatorCurrency;
  amountMinor: number;
  paidAt: Date;
  transactionCode: string;
  /**
   * Adds data.paymentDate and data.transactionCode. DOC §5.2 does not list them; three integrations read them
   * (reference §2), so newer payloads may carry them. Off by default: the app must work without them.
   */
  undocumentedFields: boolean;
}

/**
 * The cip.paid body of DOC §5.2, compact, exactly {"eventType","operationNumber","data":{"cip","currency","amount"}},
 * written by hand so "amount" is the N(18,2) literal 150.00 (JSON.stringify would write 150) and "cip" the
 * string DOC's example shows.
 */
export function buildPaidNotificationBody(n: PaidNotification): string {
  const str = JSON.stringify;
  const extra = n.undocumentedFields
    ? `,"paymentDate":${str(formatLimaDateTime(n.paidAt))},"transactionCode":${str(n.transactionCode)}`
    : "";
  return (
    `{"eventType":"cip.paid","operationNumber":${str(n.operationNumber)},` +
    `"data":{"cip":${str(n.cip)},"currency":${str(n.currency)},"amount":${formatMinor(n.amountMinor)}${extra}}}`
  );
}

/**
 * PE-Signature (DOC §5.2): lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the service's secretKey
 * (the same secret as the authorization hash). An HMAC, not a JWT, so node:crypto and not jose.
 */
export function signNotificationBody(body: string | Buffer, secretKey: string): string {
  return createHmac("sha256", secretKey).update(body).digest("hex");
}
