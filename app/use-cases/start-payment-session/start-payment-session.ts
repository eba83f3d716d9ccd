import type { PaymentSessionBody, ShopifySessionHeaders } from "../../contracts/shopify/session-requests";
import { normalizePhone } from "../../domain/buyer-phone";
import { parseCurrency, parseDecimalAmount } from "../../domain/money";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { randomToken } from "../../lib/random-token";
import { err, ok, type Result } from "../../lib/result";
import type { PaymentSessionRecord, PaymentStore } from "../../ports/payment-store";
import type { IssueCip, IssueCipOutcome } from "../issue-cip/issue-cip";
import { environmentFor } from "../shared/credentials";
import { rejectJob } from "../shared/jobs";

export interface StartPaymentSessionInput {
  headers: ShopifySessionHeaders;
  body: PaymentSessionBody;
  rawBody: string;
}

export type StartPaymentSessionError =
  | { kind: "unknown_shop"; message: string }
  | { kind: "invalid_amount"; message: string }
  /** PagoEfectivo takes PEN and USD only; no session is stored for another currency (never stored as PEN). */
  | { kind: "unsupported_currency"; message: string }
  /** The id is already a payment session of another shop: never answered with that shop's buyer page. */
  | { kind: "id_conflict"; message: string }
  /** PagoEfectivo had a transient fault: answer non-2xx so Shopify sends the request again. */
  | { kind: "try_again"; message: string };

export interface StartPaymentSessionSuccess {
  redirectUrl: string;
  session: PaymentSessionRecord;
  created: boolean;
}

/**
 * Shopify's POST payment session. The session id is the idempotency key: the first request
 * stores the session (with its buyer-page token) and asks for the CIP; every repeat, even
 * concurrent ones, reads the same row and answers the same redirect URL without a second CIP.
 */
export class StartPaymentSession {
  constructor(
    private readonly deps: {
      store: PaymentStore;
      issueCip: IssueCip;
      clock: Clock;
      logger: Logger;
      buyerPageUrl: (token: string) => string;
    },
  ) {}

  async execute(input: StartPaymentSessionInput): Promise<Result<StartPaymentSessionSuccess, StartPaymentSessionError>> {
    const { store, clock, logger } = this.deps;
    const { headers, body } = input;
    // The shop and the credentials a new session of this mode needs, in one read (IssueCip uses them when the
    // stored session is of the same environment, and reads them itself otherwise).
    const environment = environmentFor(body.test);
    const found = await store.findShopWithCredentials(headers["shopify-shop-domain"], environment);
    const shop = found?.shop ?? null;
    if (!found || !shop || shop.status !== "installed") {
      logger.warn({ shop: headers["shopify-shop-domain"], paymentSessionId: body.id }, "payment session for an unknown shop");
      return err({ kind: "unknown_shop", message: `Shop ${headers["shopify-shop-domain"]} has not installed this app` });
    }

    // A CIP is PEN or USD only (DOC §5.1.2 field table); another currency is an error answered non-2xx, as
    // Shopify's request reference asks, and never stored as PEN (docs/contracts.md).
    const parsedCurrency = parseCurrency(body.currency);
    if (!parsedCurrency.ok) {
      logger.info({ paymentSessionId: body.id, currency: body.currency }, "payment session in a currency PagoEfectivo does not take");
      return err({ kind: "unsupported_currency", message: `PagoEfectivo only accepts PEN and USD, not ${body.currency}` });
    }
    const currency = parsedCurrency.value;
    const amount = parseDecimalAmount(body.amount, currency);
    if (!amount.ok) return err({ kind: "invalid_amount", message: `amount "${body.amount}" is not a valid amount` });

    const now = clock.now();
    const customer = body.customer ?? null;
    const billing = customer?.billing_address ?? null;
    const shipping = customer?.shipping_address ?? null;
    const phone =
      normalizePhone(customer?.phone_number, billing?.country_code) ??
      normalizePhone(billing?.phone_number, billing?.country_code) ??
      normalizePhone(shipping?.phone_number, shipping?.country_code);
    const refusal = refusalReason(body);
    // A new session with the buyer's phone goes straight to PagoEfectivo: it is written holding the issuing lease,
    // one write instead of two (the lease is the stored intent to create its CIP, see IssueCip).
    const issueNow = !refusal && phone !== null;

    const { session, created, claimed } = await store.getOrCreateSession(
      {
        id: body.id,
        gid: body.gid,
        shopId: shop.id,
        groupId: body.group ?? null,
        checkoutSessionId: body.session_id ?? null,
        amountMinor: amount.value.amountMinor,
        currency,
        test: body.test,
        kind: body.kind,
        merchantLocale: body.merchant_locale ?? null,
        buyerLocale: buyerLocale(customer?.locale ?? body.merchant_locale ?? shop.locale),
        email: customer?.email ?? null,
        phone: phone?.number ?? null,
        phoneCountryCode: phone?.countryCode ?? null,
        givenName: billing?.given_name ?? shipping?.given_name ?? null,
        familyName: billing?.family_name ?? shipping?.family_name ?? null,
        cancelUrl: body.payment_method.data?.cancel_url ?? null,
        proposedAt: new Date(body.proposed_at),
        requestId: headers["shopify-request-id"],
        apiVersion: headers["shopify-api-version"],
        requestBody: input.rawBody,
        state: refusal ? "rejected" : "awaiting_phone",
        rejectionReason: refusal,
        buyerToken: randomToken(18),
        environment,
        createdAt: now,
      },
      [{ type: "session_received", at: now, detail: { requestId: headers["shopify-request-id"], amount: body.amount, currency: body.currency, test: body.test } }],
      issueNow ? { claimIssuingForMs: this.deps.issueCip.leaseMs } : {},
    );

    if (session.shopId !== shop.id) {
      // get-or-create by id found a row of another shop (ids are global keys): that shop's buyer page,
      // CIP and data must not leak to this one.
      logger.warn({ paymentSessionId: body.id, shop: shop.id }, "payment session id already used by another shop");
      return err({ kind: "id_conflict", message: `Payment session ${body.id} belongs to another shop` });
    }
    const redirectUrl = this.deps.buyerPageUrl(session.buyerToken);
    if (created && refusal) {
      // Stored first, then rejected through the outbox: Shopify gets a definite answer and the buyer a page saying why.
      await store.enqueue([rejectJob(shop.id, session.id, "PROCESSING_ERROR", refusal)]);
      await store.addEvents(session.id, shop.id, [{ type: "rejected", at: now, detail: { code: "PROCESSING_ERROR", reason: refusal } }]);
      logger.info({ paymentSessionId: session.id, reason: refusal }, "payment session refused");
      return ok({ redirectUrl, session, created });
    }
    if (session.cip || session.state !== "awaiting_phone") return ok({ redirectUrl, session, created });

    const outcome: IssueCipOutcome = await this.deps.issueCip.execute(session.id, { session, shop, claimed, credentials: { environment, record: found.credentials } });
    if (outcome.kind === "failed_transient") {
      return err({ kind: "try_again", message: `PagoEfectivo is not answering (${outcome.error.message}); retry` });
    }
    return ok({ redirectUrl, session: outcome.session, created });
  }
}

function refusalReason(body: PaymentSessionBody): string | null {
  if (body.kind !== "sale") return `PagoEfectivo only supports sales; "${body.kind}" sessions cannot be authorized and captured later`;
  return null;
}

function buyerLocale(locale: string | null | undefined): "es" | "en" {
  return locale?.toLowerCase().startsWith("en") ? "en" : "es";
}
