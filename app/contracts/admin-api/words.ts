/**
 * The words for the codes the admin API sends about reconciliation exceptions (kinds, sources) and orders
 * (financial status as shown, app/domain/order-status-shown.ts), in the panel's two languages. One table for
 * the panel (web/src/i18n) and the server's CSV exports, so both say the same.
 */
export const EXCEPTION_KIND_WORDS = {
  es: {
    paid_without_order: "Pagado sin pedido",
    order_pending_but_paid: "Pedido pendiente pero pagado",
    amount_mismatch: "Importe distinto",
    currency_mismatch: "Moneda distinta",
    paid_after_expiry: "Pagado después del vencimiento",
    paid_twice: "Pagado dos veces",
    notification_missing: "Notificación faltante",
    notification_unknown_cip: "Notificación de CIP desconocido",
    payment_reversed: "Pago extornado",
    settlement_unknown_cip: "CIP desconocido en la liquidación",
    settlement_amount_mismatch: "Importe distinto en la liquidación",
    settlement_duplicate: "Duplicado en la liquidación",
    missing_from_settlement: "Falta en la liquidación",
    commission_mismatch: "Comisión distinta",
  },
  en: {
    paid_without_order: "Paid without an order",
    order_pending_but_paid: "Order pending but paid",
    amount_mismatch: "Amount mismatch",
    currency_mismatch: "Currency mismatch",
    paid_after_expiry: "Paid after expiry",
    paid_twice: "Paid twice",
    notification_missing: "Notification missing",
    notification_unknown_cip: "Notification for an unknown CIP",
    payment_reversed: "Payment reversed",
    settlement_unknown_cip: "Unknown CIP in settlement",
    settlement_amount_mismatch: "Settled amount differs",
    settlement_duplicate: "Duplicate in settlement",
    missing_from_settlement: "Missing from settlement",
    commission_mismatch: "Commission mismatch",
  },
} as const satisfies Record<"es" | "en", Record<string, string>>;

export const EXCEPTION_SOURCE_WORDS = {
  es: { notification: "Notificación de PagoEfectivo", polling: "Consulta de estado", reconciliation: "Conciliación", settlement: "Liquidación" },
  en: { notification: "PagoEfectivo notification", polling: "Status check", reconciliation: "Reconciliation", settlement: "Settlement" },
} as const satisfies Record<"es" | "en", Record<string, string>>;

export const ORDER_STATUS_WORDS = {
  es: {
    pending: "Pago pendiente",
    authorized: "Autorizado",
    paid: "Pagado",
    partially_paid: "Pagado parcialmente",
    refunded: "Reembolsado",
    partially_refunded: "Reembolsado parcialmente",
    voided: "Anulado",
    expired: "Vencido",
    no_payment: "Sin pago",
    unknown: "Desconocido",
  },
  en: {
    pending: "Payment pending",
    authorized: "Authorized",
    paid: "Paid",
    partially_paid: "Partially paid",
    refunded: "Refunded",
    partially_refunded: "Partially refunded",
    voided: "Voided",
    expired: "Expired",
    no_payment: "No payment",
    unknown: "Unknown",
  },
} as const satisfies Record<"es" | "en", Record<string, string>>;
