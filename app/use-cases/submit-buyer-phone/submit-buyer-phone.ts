import { type BuyerPhoneProblem, parseBuyerPhone } from "../../domain/buyer-phone";
import { canMove } from "../../domain/payment-session";
import type { Clock } from "../../lib/clock";
import { err, ok, type Result } from "../../lib/result";
import type { PaymentStore } from "../../ports/payment-store";
import type { IssueCip, IssueCipOutcome } from "../issue-cip/issue-cip";

export type SubmitBuyerPhoneError = { kind: "not_found" } | { kind: "invalid_phone"; problem: BuyerPhoneProblem };

/** PagoEfectivo requires a phone; when Shopify sent none, the buyer page asks for it before the CIP. */
export class SubmitBuyerPhone {
  constructor(private readonly deps: { store: PaymentStore; issueCip: IssueCip; clock: Clock }) {}

  async execute(buyerToken: string, input: { countryCode: string; phone: string }): Promise<Result<IssueCipOutcome, SubmitBuyerPhoneError>> {
    const { store, clock } = this.deps;
    const session = await store.findSessionByBuyerToken(buyerToken);
    if (!session) return err({ kind: "not_found" });
    if (!canMove(session.state, "phone_given") || session.cip) return ok(await this.deps.issueCip.execute(session.id));
    const phone = parseBuyerPhone(input.countryCode, input.phone);
    if (!phone.ok) return err({ kind: "invalid_phone", problem: phone.error });
    const now = clock.now();
    await store.applyChange({
      sessionId: session.id,
      move: "phone_given",
      set: { phone: phone.value.number, phoneCountryCode: phone.value.countryCode, updatedAt: now },
      events: [{ type: "buyer_phone_given", at: now, detail: {} }],
    });
    return ok(await this.deps.issueCip.execute(session.id));
  }
}
