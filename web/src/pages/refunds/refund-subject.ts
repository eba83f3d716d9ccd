import type { RefundRow } from "../../api/types";
import type { Messages } from "../../i18n/es";

/** "del pedido #1001", or "del pago con CIP 2523137" before Shopify has named the order. */
export function refundSubject(refund: RefundRow, t: Messages): string {
  if (refund.orderName) return t.refunds.subjectOrder(refund.orderName);
  return t.refunds.subjectCip(refund.cip ?? refund.paymentSessionId);
}
