import { parsePagoEfectivoNotification } from "../../contracts/pagoefectivo/notification";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { type CounterSink, noCounters } from "../../ports/counters";
import type { NotificationEvidence, NotificationStore } from "../../ports/notification-store";
import type { CredentialRecord, Environment, PaymentStore } from "../../ports/payment-store";
import type { SignatureVerifier } from "../../ports/signatures";
import type { CredentialsResolver } from "../shared/credentials";
import { decidePaid, exceptionFor, type ObservedPayment } from "../shared/paid-decision";
import { linkLostCreation, type LostCreationCandidate, type LostCreationLink, pickLostCreation } from "./lost-creation-link";
import { summarizeRejected } from "./rejected-notification-summary";
import { type BudgetScope, RejectionBudget } from "./rejection-budget";
import { ReplayMemory } from "./replay-memory";

/** What a notification URL key can look like; anything else is an unknown key without a lookup (fuzz-webhooks.test.ts). */
const NOTIFICATION_KEY = /^[A-Za-z0-9_-]{1,128}$/;

export interface NotificationInput {
  notificationKey: string;
  rawBody: Buffer;
  headers: Record<string, string>;
  /** The sender's address (req.ip), for the per-address budget of rejected notifications. */
  clientAddress?: string;
}

/**
 * Accepted: stored, or already known (PagoEfectivo must not send it again). Refused: what PagoEfectivo
 * must not retry blindly; app/http/result-status.ts maps each reason to its status code.
 */
export type NotificationResult =
  | { kind: "accepted"; outcome: string }
  | { kind: "refused"; reason: "malformed" | "bad_signature" | "unknown_key"; message: string }
  | { kind: "refused"; reason: "rate_limited"; message: string; retryAfterSeconds: number };

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
      /** Counts rejected and rate-limited notifications (metrics). */
      counters?: CounterSink;
      /** Limits rejected notifications per client address and per URL key (issue #10). */
      budget?: RejectionBudget;
      /** Deliveries already committed, to answer their replays from one narrow read (replay-memory.ts). */
      replays?: ReplayMemory;
    },
  ) {
    this.counters = deps.counters ?? noCounters;
    this.budget = deps.budget ?? new RejectionBudget();
    this.replays = deps.replays ?? new ReplayMemory();
  }

  private readonly counters: CounterSink;
  private readonly budget: RejectionBudget;
  private readonly replays: ReplayMemory;

  async execute(input: NotificationInput): Promise<NotificationResult> {
    const { store, notifications, signatures, credentials, clock, logger } = this.deps;
    const address = input.clientAddress ?? "unknown";
    if (this.budget.exhausted("address", address)) return this.rateLimited("address", address);
    const signature = input.headers["pe-signature"] ?? null;
    // A replay of a delivery whose evidence is committed: the database confirms the shop, the secret that verified
    // it and the stored dedupe key in one narrow read, and the answer is the full path's ("duplicate"); anything
    // else (never seen, evicted, another instance's, a rotated secret) takes the full path below.
    const replayKey = ReplayMemory.keyOf(input.notificationKey, signature, input.rawBody);
    const remembered = this.replays.get(replayKey);
    if (remembered) {
      if (await notifications.isStoredReplay({ notificationKey: input.notificationKey, ...remembered })) return { kind: "accepted", outcome: "duplicate" };
      this.replays.forget(replayKey);
    }
    const receivedAt = clock.now();
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

    // The body is parsed before its signature is checked only to name the dedupe key and CIP of the one read
    // (shop, credentials, dedupe check, session): nothing it names is acted on until the signature holds.
    const parsed = parsePagoEfectivoNotification(input.rawBody);
    const claimed = parsed.ok && parsed.value.type !== "unknown" ? parsed.value : null;
    const claimedKey = claimed ? dedupeKeyOf(claimed) : null;
    // Keys are base64url (prisma-shop-store.ts); anything else (a NUL byte breaks a PostgreSQL text query) is unknown.
    const context = NOTIFICATION_KEY.test(input.notificationKey)
      ? await notifications.lookup({ notificationKey: input.notificationKey, dedupeKey: claimedKey, cip: claimed?.cip ?? null })
      : null;
    if (!context) {
      await this.storeRejected(evidence, input, "unknown_key", "unknown_key", address);
      return { kind: "refused", reason: "unknown_key", message: "Unknown notification URL" };
    }
    const { shop } = context;
    evidence.shopId = shop.id;

    let environment: Environment | null = null;
    let verifiedWith: CredentialRecord | null = null;
    let reason = "no_credentials";
    for (const record of context.credentials) {
      const check = signatures.pagoEfectivoNotification(input.rawBody, signature ?? undefined, credentials.open(record).secretKey);
      if (check.valid) {
        environment = record.environment;
        verifiedWith = record;
        break;
      }
      reason = check.reason;
    }
    if (!environment) {
      // A flood of forged notifications to one shop's URL (from any number of addresses) stops here, before
      // the database; a genuine notification still passes, since it was verified above.
      if (this.budget.exhausted("key", input.notificationKey)) return this.rateLimited("key", input.notificationKey);
      this.budget.spend("key", input.notificationKey);
      await this.storeRejected(evidence, input, "rejected_signature", reason, address);
      logger.warn({ shopId: shop.id, reason }, "PagoEfectivo notification with a bad signature");
      return { kind: "refused", reason: "bad_signature", message: `Invalid PE-Signature (${reason})` };
    }
    evidence.signatureValid = true;
    evidence.verificationReason = `valid:${environment}`;
    // Called only once the notification's dedupe key is known to be committed: a replay is then answered "duplicate".
    const remember = () => {
      if (claimedKey && verifiedWith) {
        this.replays.remember(replayKey, { shopId: shop.id, environment: verifiedWith.environment, secretKeyEncrypted: verifiedWith.secretKeyEncrypted, dedupeKey: claimedKey });
      }
    };

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
    // A replay is answered from that one read: nothing to write.
    if (context.known) {
      remember();
      return { kind: "accepted", outcome: "duplicate" };
    }
    evidence.dedupeKey = claimedKey;

    let session = context.sessionByCip ?? (event.transactionCode ? await store.findSession(event.transactionCode) : null);
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
      if (stored.result !== "guard_failed") remember();
      return { kind: "accepted", outcome: stored.result === "duplicate" ? "duplicate" : `recorded_${event.type}` };
    }

    const payment = observed(event.cip, event.operationNumber, event.amount.amountMinor, event.amount.currency, event.paymentDate ?? receivedAt);
    let link: LostCreationLink | null = null;
    if (!session) {
      const match = await this.matchLostCreation(shop.id, shop.cipLifetimeHours, payment);
      if (match.kind !== "linked") {
        const exception = { ...exceptionFor("notification_unknown_cip", null, payment), shopId: shop.id };
        exception.evidence = { ...exception.evidence, lostCreationCandidates: match.candidates };
        const stored = await notifications.commit({ evidence: { ...evidence, outcome: "unknown_cip" }, exceptions: [exception] });
        if (stored.result !== "guard_failed") remember();
        logger.warn({ shopId: shop.id, cip: event.cip, candidates: match.candidates.length }, "payment notification for an unknown CIP");
        return { kind: "accepted", outcome: stored.result === "duplicate" ? "duplicate" : "unknown_cip" };
      }
      link = match;
      session = match.session;
      evidence.paymentSessionId = session.id;
    }

    // Two attempts: if another notification or the poller changed the session between our read and our
    // write, the guarded update fails and we decide again on the fresh state.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const decision =
        link && !session.cip
          ? linkLostCreation(decidePaid({ ...session, cip: event.cip, cipExpiresAt: link.askedExpiresAt }, payment, receivedAt), link, payment, receivedAt)
          : decidePaid(session, payment, receivedAt);
      const stored = await notifications.commit({
        evidence: { ...evidence, outcome: decision.outcome },
        ...(decision.change ? { change: decision.change } : {}),
        exceptions: decision.exceptions,
      });
      if (stored.result === "duplicate") {
        remember();
        return { kind: "accepted", outcome: "duplicate" };
      }
      if (stored.result === "stored") {
        remember();
        logger.info({ shopId: shop.id, cip: event.cip, paymentSessionId: session.id, outcome: decision.outcome }, "payment notification handled");
        return { kind: "accepted", outcome: decision.outcome };
      }
      session = (await store.findSession(session.id)) ?? session;
    }
    throw new Error(`Payment session ${session.id} kept changing while a notification was handled`);
  }

  /** A rejected notification: counted, charged to the sender's address, and stored only as a bounded summary. */
  private async storeRejected(evidence: NotificationEvidence, input: NotificationInput, outcome: string, reason: string, address: string): Promise<void> {
    this.counters.increment("notifications_rejected_total", { reason });
    this.budget.spend("address", address);
    const summary = summarizeRejected(input.rawBody, input.headers);
    await this.deps.notifications.commit({
      evidence: { ...evidence, rawBody: summary.rawBody, headers: summary.headers, outcome, verificationReason: `${reason};${summary.summary}` },
    });
  }

  private rateLimited(scope: BudgetScope, id: string): NotificationResult {
    this.counters.increment("notifications_rate_limited_total", { scope });
    const retryAfterSeconds = this.budget.retryAfterSeconds(scope, id);
    return { kind: "refused", reason: "rate_limited", message: `Too many rejected notifications from this ${scope === "key" ? "URL" : "address"}; retry in ${retryAfterSeconds} s`, retryAfterSeconds };
  }

  private async matchLostCreation(shopId: string, lifetimeHours: number, payment: ObservedPayment): Promise<LostCreationLink | { kind: "unmatched"; candidates: LostCreationCandidate[] }> {
    const sessions = await this.deps.store.findLostCreationCandidates(shopId, { amountMinor: payment.amountMinor, currency: payment.currency });
    return pickLostCreation(sessions, payment, lifetimeHours);
  }
}

/** Unique per notification PagoEfectivo sends: its CIP, operation and event (stored with a unique index). */
function dedupeKeyOf(event: { cip: string; operationNumber: string | null; type: string }): string {
  return `${event.cip}:${event.operationNumber ?? "-"}:${event.type}`;
}

function observed(cip: string, operationNumber: string | null, amountMinor: number, currency: ObservedPayment["currency"], paidAt: Date): ObservedPayment {
  return { cip, operationNumber, amountMinor, currency, paidAt, channel: null, source: "notification" };
}
