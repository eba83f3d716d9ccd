import { type ExceptionKind, type SuggestedAction } from "./types";

/** What the merchant should do about each kind of exception, in Spanish (Peru) and English. */
export const SUGGESTED_ACTIONS: Readonly<Record<ExceptionKind, SuggestedAction>> = {
  paid_without_order: {
    es: "El CIP fue pagado pero no está vinculado a ningún pedido de Shopify. Busca el pedido por el CIP o el cliente; si no existe, contacta al comprador para entregar o reembolsar.",
    en: "The CIP was paid but is not linked to any Shopify order. Look the order up by CIP or customer; if there is none, contact the buyer to fulfil or refund.",
  },
  order_pending_but_paid: {
    es: "El CIP está pagado pero el pedido sigue pendiente en Shopify. Revisa los envíos a Shopify (Envíos fallidos) y vuelve a enviar la confirmación del pago.",
    en: "The CIP is paid but the order is still pending in Shopify. Check the deliveries to Shopify (Failed deliveries) and send the payment confirmation again.",
  },
  amount_mismatch: {
    es: "El monto pagado no coincide con el del pedido. Verifica el pago en el portal de PagoEfectivo antes de entregar y cobra la diferencia o reembolsa.",
    en: "The amount paid differs from the order amount. Check the payment in the PagoEfectivo portal before fulfilling, then collect the difference or refund.",
  },
  currency_mismatch: {
    es: "La moneda pagada no coincide con la del pedido. Verifica el pago en el portal de PagoEfectivo antes de entregar.",
    en: "The payment currency differs from the order currency. Check the payment in the PagoEfectivo portal before fulfilling.",
  },
  paid_after_expiry: {
    es: "El CIP se pagó después de su vencimiento. Si el pedido fue cancelado, reembolsa al comprador o vuelve a crear el pedido; si sigue abierto, confirma el stock antes de entregar.",
    en: "The CIP was paid after it expired. If the order was cancelled, refund the buyer or recreate the order; if it is still open, check stock before fulfilling.",
  },
  paid_twice: {
    es: "El mismo CIP se pagó más de una vez. Confirma ambos pagos en el portal de PagoEfectivo y reembolsa el pago duplicado al comprador.",
    en: "The same CIP was paid more than once. Confirm both payments in the PagoEfectivo portal and refund the duplicate payment to the buyer.",
  },
  notification_missing: {
    es: "PagoEfectivo no envió (o no llegó) la notificación de pago; el pago se detectó por consulta o en la liquidación. Revisa la URL de notificación configurada en PagoEfectivo.",
    en: "PagoEfectivo's payment notification never arrived; the payment was found by polling or in the settlement. Check the notification URL configured at PagoEfectivo.",
  },
  settlement_unknown_cip: {
    es: "La liquidación incluye un CIP que esta tienda no generó. Verifica si pertenece a otro servicio o tienda y consulta a PagoEfectivo.",
    en: "The settlement lists a CIP this shop did not issue. Check whether it belongs to another service or shop and ask PagoEfectivo.",
  },
  settlement_amount_mismatch: {
    es: "El monto o la moneda de la liquidación no coincide con el pago registrado. Pide a PagoEfectivo el detalle de la operación.",
    en: "The settled amount or currency differs from the recorded payment. Ask PagoEfectivo for the operation's details.",
  },
  settlement_duplicate: {
    es: "El CIP aparece más veces en la liquidación que pagos registrados. Verifica si se liquidó dos veces y pide la regularización.",
    en: "The CIP appears in the settlement more times than it was paid. Check whether it was settled twice and ask for a correction.",
  },
  missing_from_settlement: {
    es: "Un CIP pagado no aparece en ninguna liquidación después de su fecha de abono esperada. Importa la liquidación más reciente o reclama el abono a PagoEfectivo.",
    en: "A paid CIP is in no settlement after its expected payout date. Import the latest settlement or claim the payout from PagoEfectivo.",
  },
  commission_mismatch: {
    es: "La comisión cobrada difiere de la de tu tarifario. Revisa el tarifario configurado y, si es correcto, reclama la diferencia a PagoEfectivo.",
    en: "The commission charged differs from your fee schedule. Check the configured schedule and, if it is right, claim the difference from PagoEfectivo.",
  },
};

export function suggestedActionFor(kind: ExceptionKind): SuggestedAction {
  return SUGGESTED_ACTIONS[kind];
}

const GENERIC_ACTION: SuggestedAction = {
  es: "Revisa este pago en el portal de PagoEfectivo y en Shopify.",
  en: "Review this payment in the PagoEfectivo portal and in Shopify.",
};

/** Exceptions only the webhook can see, beyond the reconciliation rules' own kinds. */
const WEBHOOK_ACTIONS: Readonly<Record<string, SuggestedAction>> = {
  notification_unknown_cip: {
    es: "PagoEfectivo notificó el pago de un CIP que esta tienda no emitió. Verifica el CIP en el portal de PagoEfectivo; si el dinero es tuyo, ubica al comprador.",
    en: "PagoEfectivo reported a payment for a CIP this shop did not issue. Check the CIP in the PagoEfectivo portal; if the money is yours, find the buyer.",
  },
  payment_reversed: {
    es: "PagoEfectivo informó que el pago fue extornado. No entregues el pedido y revisa el reembolso en Shopify.",
    en: "PagoEfectivo reported that the payment was reversed. Do not fulfil the order and review the refund in Shopify.",
  },
};

/**
 * The wording for any stored kind. The advice depends on the kind alone, so the panel shows today's wording even for
 * an exception stored before it was reworded (older rows kept "usted" and English-first text).
 */
export function suggestedActionForAnyKind(kind: string): SuggestedAction {
  return (Object.hasOwn(SUGGESTED_ACTIONS, kind) ? SUGGESTED_ACTIONS[kind as ExceptionKind] : WEBHOOK_ACTIONS[kind]) ?? GENERIC_ACTION;
}
