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
}

/**
 * The cip.paid body, compact, written by hand so "amount" is the literal 150.00 the way PagoEfectivo sends it
 * (JSON.stringify would write 150). data.paymentDate and data.transactionCode are the fields newer payloads
 * carry according to several integrations.
 */
export function buildPaidNotificationBody(n: PaidNotification): string {
  const str = JSON.stringify;
  return (
    `{"eventType":"cip.paid","operationNumber":${str(n.operationNumber)},` +
    `"data":{"cip":${str(n.cip)},"currency":${str(n.currency)},"amount":${formatMinor(n.amountMinor)},` +
    `"paymentDate":${str(formatLimaDateTime(n.paidAt))},"transactionCode":${str(n.transactionCode)}}}`
  );
}

/** PE-Signature: lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the service's secretKey. */
export function signNotificationBody(body: string | Buffer, secretKey: string): string {
  return createHmac("sha256", secretKey).update(body).digest("hex");
}
