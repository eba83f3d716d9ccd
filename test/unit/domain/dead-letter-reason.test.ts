import { describe, expect, it } from "vitest";

import { deadLetterReason } from "../../../app/domain/dead-letter-reason";

describe("deadLetterReason", () => {
  it("names the outbox's last errors by kind, for the panel to word", () => {
    expect(deadLetterReason("gave up after ~30 h: server_error: Shopify answered HTTP 500 to paymentSessionPending")).toBe("shopify_unavailable");
    expect(deadLetterReason("gave up after ~30 h: throttled: Shopify throttled the request (HTTP 429)")).toBe("shopify_throttled");
    expect(deadLetterReason("unauthorized: Shopify refused the access token (HTTP 401)")).toBe("shopify_access_refused");
    expect(deadLetterReason("user_errors: PAYMENT_SESSION_ALREADY_RESOLVED")).toBe("shopify_refused");
    expect(deadLetterReason("shop has no offline token (uninstalled?)")).toBe("app_uninstalled");
    expect(deadLetterReason("refund session not found")).toBe("record_missing");
    expect(deadLetterReason("PagoEfectivo credentials are gone")).toBe("credentials_missing");
    expect(deadLetterReason("handler threw: TypeError: x is undefined")).toBe("app_error");
  });
  it("says 'other' for anything else", () => {
    expect(deadLetterReason("something new")).toBe("other");
    expect(deadLetterReason(null)).toBe("other");
  });
});
