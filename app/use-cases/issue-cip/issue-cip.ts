import { canMove, cipExpiry } from "../../domain/payment-session";
import type { Clock } from "../../lib/clock";
import { isDatabaseUnavailable } from "../../lib/database-unavailable";
import type { Logger } from "../../lib/logger";
import type { PagoEfectivoCredentials, PagoEfectivoError, PagoEfectivoGateway } from "../../ports/pagoefectivo-gateway";
import type { CredentialRecord, Environment, PaymentChange, PaymentSessionRecord, PaymentStore, ShopRecord } from "../../ports/payment-store";
import type { CredentialsResolver } from "../shared/credentials";
import { pendingJob, type RejectCode,rejectJob } from "../shared/jobs";
import { UnsavedCips } from "./unsaved-cips";

export type IssueCipOutcome =
  /** The session has its CIP (now or already). */
  | { kind: "issued"; session: PaymentSessionRecord }
  /** PagoEfectivo needs a phone number first; the buyer page asks for it. */
  | { kind: "needs_phone"; session: PaymentSessionRecord }
  /** Another request is creating it right now. */
  | { kind: "in_progress"; session: PaymentSessionRecord }
  /** The session cannot be served and is being rejected at Shopify. */
  | { kind: "rejected"; session: PaymentSessionRecord; reason: string }
  /**
   * PagoEfectivo got the request but its answer was lost: a CIP may exist and has then been e-mailed to the buyer
   * (DOC §5.1.2). No second CIP is ever asked for; a payment of that CIP is linked when it arrives.
   */
  | { kind: "unconfirmed"; session: PaymentSessionRecord }
  /** A transient fault; asking again later may succeed. */
  | { kind: "failed_transient"; session: PaymentSessionRecord; error: PagoEfectivoError }
  /** Already final (paid, expired...). */
  | { kind: "final"; session: PaymentSessionRecord };

/** Without a PagoEfectivo timeout to size it by. */
const DEFAULT_ISSUING_LEASE_MS = 60_000;

/** What the caller just read or wrote; `credentials`: the shop's stored credentials of one environment (record null: none). */
type KnownContext = { session: PaymentSessionRecord; shop: ShopRecord; claimed?: boolean; credentials?: { environment: Environment; record: CredentialRecord | null } };

/**
 * How long one CIP creation may hold its session: a sign-in, a re-sign-in after a refused token, and the creation,
 * each bounded by the PagoEfectivo client's timeout, plus a margin for the database writes around them.
 */
export function issuingLeaseMs(pagoEfectivoTimeoutMs: number): number {
  return 3 * pagoEfectivoTimeoutMs + 5_000;
}

/**
 * Gets the session its CIP exactly once. A lease in the database makes sure only one request, on
 * any instance, talks to PagoEfectivo at a time; everyone else waits for the stored result.
 * A lost answer (timeout or gateway error after sending) is not "never seen": PagoEfectivo e-mails a
 * created CIP to userEmail and adminEmail (DOC §5.1.2), so the buyer may pay it. The session keeps
 * the lifetime that was asked for (cipExpiresAt without a cip), no second CIP is created for it, and
 * HandlePagoEfectivoNotification links a payment of an unknown CIP that matches it exactly.
 */
export class IssueCip {
  private readonly unsaved: UnsavedCips;

  constructor(
    private readonly deps: {
      store: PaymentStore;
      gateway: PagoEfectivoGateway;
      credentials: CredentialsResolver;
      clock: Clock;
      logger: Logger;
      /** The issuing lease (see issuingLeaseMs); after it, a creation cut short by a crash is tried again. */
      leaseMs?: number;
      /** How often CIPs created while the database was unavailable are written again (real time; see UnsavedCips). */
      retryUnsavedEveryMs?: number;
    },
  ) {
    this.unsaved = new UnsavedCips({ store: deps.store, logger: deps.logger, retryEveryMs: deps.retryUnsavedEveryMs });
  }

  /** Writes the CIPs PagoEfectivo created while the database was unavailable (see UnsavedCips); true when none is left. */
  saveUnsaved(): Promise<boolean> {
    return this.unsaved.saveAll();
  }

  /** How long one creation holds its session's lease (what a caller creating the session with it must ask for). */
  get leaseMs(): number {
    return this.deps.leaseMs ?? DEFAULT_ISSUING_LEASE_MS;
  }

  /**
   * `known`: the session and its shop as the caller just read or wrote them (StartPaymentSession), so they are
   * not read again; whatever they say is checked once more by the lease's guarded write. `claimed`: the caller
   * created the session holding the lease (PaymentStore.getOrCreateSession with claimIssuingForMs), so this
   * request is its holder and does not claim it again.
   */
  async execute(sessionId: string, known?: KnownContext): Promise<IssueCipOutcome> {
    const { store, clock } = this.deps;
    let session = known?.session.id === sessionId ? known.session : await store.findSession(sessionId);
    if (!session) throw new Error(`Payment session ${sessionId} vanished`);
    if (!session.cip && this.unsaved.has(sessionId)) {
      // PagoEfectivo created this session's CIP while the database was away: record it before anything else.
      session = (await this.unsaved.save(sessionId)) ?? (await store.findSession(sessionId)) ?? session;
    }
    if (session.cip) return { kind: "issued", session };
    if (!canMove(session.state, "cip_issued")) return { kind: "final", session };
    if (session.cipExpiresAt) return { kind: "unconfirmed", session };
    if (!session.phone || !session.phoneCountryCode) {
      // A lease the caller took with the row is handed back, or the buyer's phone could never claim it.
      if (known?.claimed) await this.releaseLease(session, clock.now());
      return { kind: "needs_phone", session };
    }

    const shop = known?.shop.id === session.shopId ? known.shop : await store.findShopById(session.shopId);
    const creds = shop ? await this.credentialsFor(shop, session, known) : null;
    const now = clock.now();
    // The lease is the stored intent: taken right before the call to PagoEfectivo, released only once its outcome
    // is known. A lease that outlived its holder (killed, or stalled past it) means a creation of unknown outcome.
    const claim = known?.claimed && known.session.id === sessionId ? "claimed" : await store.claimIssuing(session.id, now, this.leaseMs);
    if (claim !== "claimed") {
      const current = (await store.findSession(session.id)) ?? session;
      if (current.cip) return { kind: "issued", session: current };
      if (current.cipExpiresAt) return { kind: "unconfirmed", session: current };
      if (claim === "abandoned" && current.issuingUntil && shop) {
        return this.keepInterrupted(current, cipExpiry(now, shop.cipLifetimeHours), now);
      }
      return { kind: "in_progress", session: current };
    }
    if (!shop || !creds) {
      return this.reject(session, "PROCESSING_ERROR", `PagoEfectivo ${session.environment} credentials are not configured`);
    }
    return this.issue(session, shop, creds, now);
  }

  /** The credentials the caller read with the shop (same shop, same environment), or read now. */
  private async credentialsFor(shop: ShopRecord, session: PaymentSessionRecord, known?: KnownContext): Promise<PagoEfectivoCredentials | null> {
    const given = known?.shop === shop ? known.credentials : undefined;
    if (given && given.environment === session.environment) return given.record ? this.deps.credentials.open(given.record) : null;
    return this.deps.credentials.forShop(shop.id, session.environment);
  }

  private async issue(session: PaymentSessionRecord, shop: ShopRecord, creds: PagoEfectivoCredentials, now: Date): Promise<IssueCipOutcome> {
    const { store, gateway, logger } = this.deps;
    const expiresAt = cipExpiry(now, shop.cipLifetimeHours);
    const result = await gateway.createCip(creds, {
      amount: { amountMinor: session.amountMinor, currency: session.currency },
      transactionCode: session.id.slice(0, 36),
      dateExpiry: expiresAt,
      paymentConcept: shop.paymentConcept ?? `Pedido en ${shop.domain.replace(/\.myshopify\.com$/, "")}`,
      additionalData: `shopify:${shop.domain}`,
      userEmail: session.email ?? `sin-correo+${session.id.slice(0, 12)}@pagoefectivo.invalid`,
      userName: session.givenName ?? undefined,
      userLastName: session.familyName ?? undefined,
      userPhone: session.phone ?? "",
      userCodeCountry: session.phoneCountryCode ?? "+51",
      userCountry: "PERU",
      language: session.buyerLocale === "en" ? "en-US" : "es-PE",
    });

    if (result.ok) {
      const cip = result.value;
      const recorded: PaymentChange = {
        sessionId: session.id,
        move: "cip_issued",
        // Only one creation per session is ever sent, so no other CIP can be there; never overwrite one.
        expectNoCip: true,
        set: {
          cip: cip.cip,
          cipUrl: cip.cipUrl,
          cipExpiresAt: cip.dateExpiry,
          cipIssuedAt: now,
          issuingUntil: null,
          updatedAt: now,
        },
        events: [{ type: "cip_issued", at: now, detail: { cip: cip.cip, expiresAt: cip.dateExpiry.toISOString(), cipUrl: cip.cipUrl } }],
        jobs: [pendingJob(session.shopId, session.id)],
      };
      const updated = await store.applyChange(recorded).catch((error: unknown) => {
        // The CIP exists at PagoEfectivo and only this process knows its number: keep it and write it once the
        // database is back (the request is still answered 503, so Shopify resends it).
        if (isDatabaseUnavailable(error)) this.unsaved.keep(recorded);
        throw error;
      });
      logger.info({ paymentSessionId: session.id, cip: cip.cip }, "CIP issued");
      return { kind: "issued", session: updated ?? session };
    }

    const error = result.error;
    if (error.kind === "ambiguous") return this.keepUnconfirmed(session, expiresAt, now, error);
    await store.addEvents(session.id, session.shopId, [
      {
        type: "cip_creation_failed",
        at: now,
        detail: { kind: error.kind, code: error.code ?? null, message: error.message, httpStatus: error.httpStatus ?? null },
      },
    ]);
    logger.warn({ paymentSessionId: session.id, kind: error.kind, code: error.code }, "CIP creation failed");
    switch (error.kind) {
      case "amount_over_limit":
        return this.reject(session, "AMOUNT_TOO_LARGE", error.message);
      case "invalid_data":
      case "service_error":
        return this.reject(session, "PROCESSING_ERROR", error.message);
      case "server_error":
      case "timeout":
      case "network":
      case "invalid_response":
        await this.releaseLease(session, now);
        return { kind: "failed_transient", session, error };
    }
  }

  /**
   * Records the lost creation: cipExpiresAt without a cip marks it (and blocks any second creation), and Shopify
   * is told the session is pending until then, as for an issued CIP, because the buyer may have the CIP by e-mail.
   */
  private async keepUnconfirmed(session: PaymentSessionRecord, expiresAt: Date, now: Date, error: PagoEfectivoError): Promise<IssueCipOutcome> {
    const { store, logger } = this.deps;
    const updated = await store.applyChange({
      sessionId: session.id,
      move: "cip_unconfirmed",
      set: { cipExpiresAt: expiresAt, issuingUntil: null, updatedAt: now },
      events: [
        {
          type: "cip_creation_ambiguous",
          at: now,
          detail: {
            message: error.message,
            httpStatus: error.httpStatus ?? null,
            transactionCode: session.id.slice(0, 36),
            amountMinor: session.amountMinor,
            currency: session.currency,
            askedExpiresAt: expiresAt.toISOString(),
          },
        },
      ],
      jobs: [pendingJob(session.shopId, session.id)],
    });
    logger.warn({ paymentSessionId: session.id, httpStatus: error.httpStatus }, "CIP creation unconfirmed: the answer was lost; no second CIP will be created");
    return { kind: "unconfirmed", session: updated ?? session };
  }

  /**
   * The creation holding the lease never came back: its process was killed (or stalled past the lease) after it
   * may have sent the request to PagoEfectivo. As with a lost answer, the CIP may exist and have been e-mailed,
   * so no second one is asked for: the session keeps the lifetime that creation asked for (taken from the
   * lease, at most a minute off) and a payment of that CIP is linked when it arrives.
   */
  private async keepInterrupted(session: PaymentSessionRecord, expiresAt: Date, now: Date): Promise<IssueCipOutcome> {
    const { store, logger } = this.deps;
    const updated = await store.applyChange({
      sessionId: session.id,
      move: "cip_unconfirmed",
      expectNoCip: true,
      set: { cipExpiresAt: expiresAt, issuingUntil: null, updatedAt: now },
      events: [
        {
          type: "cip_creation_ambiguous",
          at: now,
          detail: {
            message: "The CIP creation was interrupted (the app stopped before PagoEfectivo's answer was stored); it was not sent again.",
            httpStatus: null,
            interrupted: true,
            leaseUntil: session.issuingUntil?.toISOString() ?? null,
            transactionCode: session.id.slice(0, 36),
            amountMinor: session.amountMinor,
            currency: session.currency,
            askedExpiresAt: expiresAt.toISOString(),
          },
        },
      ],
      jobs: [pendingJob(session.shopId, session.id)],
    });
    if (!updated) {
      // The creation came back after all (or another request recorded it first): its outcome stands.
      const current = (await store.findSession(session.id)) ?? session;
      return current.cip ? { kind: "issued", session: current } : { kind: "unconfirmed", session: current };
    }
    logger.warn({ paymentSessionId: session.id }, "CIP creation interrupted: its outcome is unknown; no second CIP will be created");
    return { kind: "unconfirmed", session: updated };
  }

  private async releaseLease(session: PaymentSessionRecord, now: Date): Promise<void> {
    await this.deps.store.applyChange({
      sessionId: session.id,
      move: "issuing_released",
      set: { issuingUntil: null, updatedAt: now },
    });
  }

  private async reject(session: PaymentSessionRecord, code: RejectCode, reason: string): Promise<IssueCipOutcome> {
    const now = this.deps.clock.now();
    const updated = await this.deps.store.applyChange({
      sessionId: session.id,
      move: "rejected",
      set: { rejectionReason: reason, issuingUntil: null, updatedAt: now },
      events: [{ type: "rejected", at: now, detail: { code, reason } }],
      jobs: [rejectJob(session.shopId, session.id, code, reason.slice(0, 255))],
    });
    return { kind: "rejected", session: updated ?? session, reason };
  }
}
