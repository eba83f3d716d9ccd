import { parsePeruvianMobile } from "../../domain/buyer-phone";
import type { Clock } from "../../lib/clock";
import { err, ok, type Result } from "../../lib/result";
import type { PaymentStore } from "../../ports/payment-store";
import type { IssueCip, IssueCipOutcome } from "../issue-cip/issue-cip";

/** PagoEfectivo requires a phone; when Shopify sent none, the buyer page asks for it before the CIP. */
export class SubmitBuyerPhone {
  constructor(private readonly deps: { store: PaymentStore; issueCip: IssueCip; clock: Clock }) {}

  async execute(buyerToken: string, rawPhone: string): Promise<Result<IssueCipOutcome, { kind: "not_found" } | { kind: "invalid_phone" }>> {
    const { store, clock } = this.deps;
    const session = await store.findSessionByBuyerToken(buyerToken);
    if (!session) return err({ kind: "not_found" });
    if (session.state !== "awaiting_phone" || session.cip) return ok(await this.deps.issueCip.execute(session.id));
    const phone = parsePeruvianMobile(rawPhone);
    if (!phone) return err({ kind: "invalid_phone" });
    const now = clock.now();
    await store.applyChange({
      sessionId: session.id,
      expectStates: ["awaiting_phone"],
      set: { phone: phone.number, phoneCountryCode: phone.countryCode, updatedAt: now },
      events: [{ type: "buyer_phone_given", at: now, detail: {} }],
    });
    return ok(await this.deps.issueCip.execute(session.id));
  }
}
