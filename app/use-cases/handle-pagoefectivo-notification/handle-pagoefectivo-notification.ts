import { parsePagoEfectivoNotification } from "../../contracts/pagoefectivo/notification";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { NotificationEvidence, NotificationStore } from "../../ports/notification-store";
import type { Environment, PaymentStore } from "../../ports/payment-store";
import type { SignatureVerifier } from "../../ports/signatures";
import type { CredentialsResolver } from "../shared/credentials";
import { decidePaid, exceptionFor, type ObservedPayment } from "../shared/paid-decision";

export interface NotificationInput {
  notificationKey: string;
  rawBody: Buffer;
  headers: Record<string, string>;
}

/**
 * Accepted: stored, or already known (PagoEfectivo must not send it again). Refused: what PagoEfectivo
 * must not retry blindly; app/http/result-status.ts maps each reason to its status code.
 */
export type NotificationResult =
  | { kind: "accepted"; outcome: string }
  | { kind: "refused"; reason: "malformed" | "bad_signature" | "unknown_key"; message: string };

/**
 * PagoEfectivo's `cip.paid` (and any other event) for one shop. The shop comes from the URL key,
 * never the unverified body; the signature is checked over the raw bytes with that shop's secret
 * (sandbox or production service, whichever matches). Evidence, state change, exceptions and
 * the resolve job commit in one transaction before the 200.
 */
export class HandlePagoEfectivoNotification {
  constructor(
    private readonly deps: {
      store: PaymentStore;
      notifications: NotificationStore;
      signatures: SignatureVerifier;
      credentials: CredentialsResolver;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  async execute(input: NotificationInput): Promise<NotificationResult> {
    const { store, notifications, signatures, credentials, clock, logger } = this.deps;
    const receivedAt = clock.now();
    const signature = input.headers["pe-signature"] ?? null;
    const evidence: NotificationEvidence = {
      shopId: null,
      paymentSessionId: null,
      cip: null,
      operationNumber: null,
      eventType: null,
      rawBody: input.rawBody,
      headers: input.headers,
      signature,
      signatureValid: false,
      verificationReason: null,
      dedupeKey: null,
      outcome: "received",
      receivedAt,
    };

    const shop = await store.findShopByNotificationKey(input.notificationKey);
    if (!shop) {
      await notifications.commit({ evidence: { ...evidence, outcome: "unknown_key", verificationReason: "unknown_key" } });
      return { kind: "refused", reason: "unknown_key", message: "Unknown notification URL" };
    }
    evidence.shopId = shop.id;

    let environment: Environment | null = null;
    let reason = "no_credentials";
    for (const { environment: env, credentials: creds } of await credentials.allForShop(shop.id)) {
      const check = signatures.pagoEfectivoNotification(input.rawBody, signature ?? undefined, creds.secretKey);
      if (check.valid) {
        environment = env;
        break;
      }
      reason = check.reason;
    }
    if (!environment) {
      await notifications.commit({ evidence: { ...evidence, outcome: "rejected_signature", verificationReason: reason } });
      logger.warn({ shopId: shop.id, reason }, "PagoEfectivo notification with a bad signature");
      return { kind: "refused", reason: "bad_signature", message: `Invalid PE-Signature (${reason})` };
    }
    evidence.signatureValid = true;
    evidence.verificationReason = `valid:${environment}`;

    const parsed = parsePagoEfectivoNotification(input.rawBody);
    if (!parsed.ok) {
      await notifications.commit({ evidence: { ...evidence, outcome: "malformed", verificationReason: `${evidence.verificationReason};${parsed.error.message}` } });
      return { kind: "refused", reason: "malformed", message: parsed.error.message };
    }
    const event = parsed.value;
    if (event.type === "unknown") {
      await notifications.commit({ evidence: { ...evidence, eventType: event.eventType, outcome: "recorded_unknown_event" } });
      return { kind: "accepted", outcome: "recorded_unknown_event" };
    }

    evidence.cip = event.cip;
    evidence.eventType = event.type;
    evidence.operationNumber = event.operationNumber;
    const dedupeKey = `${event.cip}:${event.operationNumber ?? "-"}:${event.type}`;
    if (await notifications.isKnown(dedupeKey)) return { kind: "accepted", outcome: "duplicate" };
    evidence.dedupeKey = dedupeKey;

    let session = (await store.findSessionByCip(event.cip)) ?? (event.transactionCode ? await store.findSession(event.transactionCode) : null);
    if (session && session.shopId !== shop.id) session = null;
    evidence.paymentSessionId = session?.id ?? null;

    if (event.type !== "cip.paid") {
      // Not in PagoEfectivo's documented contract: kept as evidence; a reversal needs the merchant.
      const exceptions =
        event.type === "cip.refunded" && session
          ? [
              {
                ...exceptionFor("payment_reversed", session, observed(event.cip, event.operationNumber, session.amountMinor, session.currency, receivedAt)),
                source: "notification" as const,
              },
            ]
          : [];
      const stored = await notifications.commit({ evidence: { ...evidence, outcome: `recorded_${event.type}` }, exceptions });
      return { kind: "accepted", outcome: stored.result === "duplicate" ? "duplicate" : `recorded_${event.type}` };
    }

    const payment = observed(event.cip, event.operationNumber, event.amount.amountMinor, event.amount.currency, event.paymentDate ?? receivedAt);
    if (!session) {
      const exception = { ...exceptionFor("notification_unknown_cip", null, payment), shopId: shop.id };
      const stored = await notifications.commit({ evidence: { ...evidence, outcome: "unknown_cip" }, exceptions: [exception] });
      logger.warn({ shopId: shop.id, cip: event.cip }, "payment notification for an unknown CIP");
      return { kind: "accepted", outcome: stored.result === "duplicate" ? "duplicate" : "unknown_cip" };
    }

    // Two attempts: if another notification or the poller changed the session between our read and our
    // write, the guarded update fails and we decide again on the fresh state.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const decision = decidePaid(session, payment, receivedAt);
      const stored = await notifications.commit({
        evidence: { ...evidence, outcome: decision.outcome },
        ...(decision.change ? { change: decision.change } : {}),
        exceptions: decision.exceptions,
      });
      if (stored.result === "duplicate") return { kind: "accepted", outcome: "duplicate" };
      if (stored.result === "stored") {
        logger.info({ shopId: shop.id, cip: event.cip, paymentSessionId: session.id, outcome: decision.outcome }, "payment notification handled");
        return { kind: "accepted", outcome: decision.outcome };
      }
      session = (await store.findSession(session.id)) ?? session;
    }
    throw new Error(`Payment session ${session.id} kept changing while a notification was handled`);
  }
}

function observed(cip: string, operationNumber: string | null, amountMinor: number, currency: ObservedPayment["currency"], paidAt: Date): ObservedPayment {
  return { cip, operationNumber, amountMinor, currency, paidAt, channel: null, source: "notification" };
}
