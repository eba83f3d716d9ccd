import { type CipStatus, cipStatus } from "./cip-status";
import { formatMinor, minorToJsonNumber } from "./emulator-money";
import { type StoredCip } from "./emulator-state";
import { formatLimaDateTime, formatLimaDateTimeMillis, LIMA_EMPTY_DATE } from "./lima-time";

const lima = (iso: string | null | undefined): string => (iso ? formatLimaDateTime(new Date(iso)) : LIMA_EMPTY_DATE);
const limaMillis = (iso: string | null | undefined): string => (iso ? formatLimaDateTimeMillis(new Date(iso)) : LIMA_EMPTY_DATE);

/**
 * One item of POST /v1/cips/search, as in the official demo's sample response (DEMO Views/Cips/ConsultarCip.cshtml):
 * dateCreation and datePayment with milliseconds, dateExpiry to the second, 1900-01-01 for dates not reached.
 */
export function searchItem(cip: StoredCip, now: Date) {
  const status = cipStatus(cip, now);
  return {
    cip: Number(cip.cip),
    transactionCode: cip.transactionCode,
    amount: minorToJsonNumber(cip.amountMinor),
    currency: cip.currency,
    status: status.code,
    statusName: status.name,
    dateCreation: limaMillis(cip.createdAt),
    dateExpiry: lima(cip.dateExpiry),
    datePayment: limaMillis(cip.payments.at(-1)?.paidAt),
    dateRemoval: lima(cip.deletedAt),
  };
}

/** The control API's view: decimal strings for money, ISO UTC for dates, and every delivery attempt. */
export function controlView(cip: StoredCip, now: Date, cipUrl: string) {
  const status: CipStatus = cipStatus(cip, now);
  const lastPayment = cip.payments.at(-1);
  return {
    cip: cip.cip,
    idService: cip.idService,
    status: status.control,
    statusCode: status.code,
    amount: formatMinor(cip.amountMinor),
    currency: cip.currency,
    transactionCode: cip.transactionCode,
    dateCreation: cip.createdAt,
    dateExpiry: cip.dateExpiry,
    datePayment: lastPayment?.paidAt ?? null,
    dateRemoval: cip.deletedAt,
    operationNumber: lastPayment?.operationNumber ?? null,
    channel: lastPayment?.channel ?? null,
    paidAmount: lastPayment ? formatMinor(lastPayment.amountMinor) : null,
    cipUrl,
    payments: cip.payments.map((p) => ({
      operationNumber: p.operationNumber,
      paidAt: p.paidAt,
      amount: formatMinor(p.amountMinor),
      channel: p.channel,
    })),
    notifications: cip.notifications.map((n) => ({
      url: n.url,
      at: n.at,
      httpStatus: n.httpStatus,
      attempt: n.attempt,
      deliveryId: n.deliveryId,
      operationNumber: n.operationNumber,
      ...(n.error === undefined ? {} : { error: n.error }),
    })),
  };
}
