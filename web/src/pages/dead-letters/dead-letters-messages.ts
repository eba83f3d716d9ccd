import type { Locale } from "../../api/types";

/** The dead-letters page's own words, kept with the page (es-PE first, as the panel). */
const es = {
  title: "Envíos fallidos",
  nav: "Envíos fallidos",
  subtitle: "Avisos a Shopify que no se pudieron entregar. Corrige la causa y vuelve a enviarlos.",
  emptyTitle: "No hay envíos fallidos",
  emptyText: "Cada pago, rechazo y reembolso llegó a Shopify.",
  resourceSingular: "envío fallido",
  resourcePlural: "envíos fallidos",
  headings: { kind: "Tipo", subject: "Pago / reembolso", attempts: "Intentos", failedAt: "Falló", lastError: "Último error", action: "" },
  kinds: {
    "payment_session.pending": "Pago pendiente",
    "payment_session.resolve": "Pago confirmado",
    "payment_session.reject": "Pago rechazado",
    "refund_session.resolve": "Reembolso confirmado",
    "refund_session.reject": "Reembolso rechazado",
    "cip.delete": "Anular CIP",
  } as Record<string, string>,
  resend: "Volver a enviar",
  resent: "Reenviado: se entregará en unos segundos",
  resendFailed: "No se pudo volver a enviar",
  loadFailed: "No se pudo cargar la lista",
  retry: "Reintentar",
  pageLabel: (from: number, to: number, total: number) => `${from}–${to} de ${total}`,
};

const en: typeof es = {
  title: "Failed deliveries",
  nav: "Failed deliveries",
  subtitle: "Updates to Shopify that could not be delivered. Fix the cause and send them again.",
  emptyTitle: "No failed deliveries",
  emptyText: "Every payment, rejection and refund reached Shopify.",
  resourceSingular: "failed delivery",
  resourcePlural: "failed deliveries",
  headings: { kind: "Type", subject: "Payment / refund", attempts: "Attempts", failedAt: "Failed", lastError: "Last error", action: "" },
  kinds: {
    "payment_session.pending": "Payment pending",
    "payment_session.resolve": "Payment confirmed",
    "payment_session.reject": "Payment rejected",
    "refund_session.resolve": "Refund confirmed",
    "refund_session.reject": "Refund rejected",
    "cip.delete": "Delete CIP",
  },
  resend: "Send again",
  resent: "Sent again: it will be delivered in a few seconds",
  resendFailed: "Could not send it again",
  loadFailed: "Could not load the list",
  retry: "Retry",
  pageLabel: (from: number, to: number, total: number) => `${from}–${to} of ${total}`,
};

export const DEAD_LETTER_MESSAGES: Record<Locale, typeof es> = { es, en };
