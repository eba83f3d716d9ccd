import { describe, expect, it } from "vitest";

import { refusalError, type RefusalKind, statusOfRefusal } from "../../../app/http/result-status";

describe("result-status: the one table from a refusal to the HTTP answer", () => {
  it.each<[RefusalKind, number, string]>([
    ["unknown_shop", 404, "not_found"],
    ["unsupported_currency", 422, "unsupported_currency"],
    ["id_conflict", 409, "id_conflict"],
    ["try_again", 503, "try_again"],
    ["not_found", 404, "not_found"],
    ["already_resolved", 409, "conflict"],
    ["not_dead", 409, "conflict"],
    ["no_credentials", 409, "conflict"],
    ["secret_required", 400, "secret_key_required"],
    ["not_ready", 409, "activation_not_ready"],
    ["not_installed", 409, "not_installed"],
    ["shopify_error", 502, "shopify_error"],
    ["already_decided", 409, "refund_already_decided"],
    ["refunded_on_in_future", 422, "refund_date_in_future"],
    ["payment_not_found", 404, "payment_not_found"],
    ["invalid_order", 400, "invalid_order"],
    ["order_not_found", 404, "order_not_found"],
    ["order_taken", 409, "order_taken"],
    ["shopify_unavailable", 502, "shopify_unavailable"],
    ["too_large", 413, "file_too_large"],
    ["empty", 400, "file_empty"],
    ["interrupted", 400, "upload_interrupted"],
    ["no_mapping", 409, "no_mapping"],
    ["upload_not_found", 404, "upload_not_found"],
    ["unreadable_xls", 422, "file_xls_unsupported"],
    ["unreadable_pdf", 422, "file_pdf_unsupported"],
    ["unreadable_binary", 422, "file_unreadable"],
  ])("%s → %i %s", (kind, status, code) => {
    const error = refusalError(kind, "why");
    expect([error.status, error.code, error.message]).toEqual([status, code, "why"]);
    expect(statusOfRefusal(kind)).toBe(status);
  });

  it("carries the details and the words' parameters the panel needs", () => {
    const body = refusalError("too_large", "big", { params: { maxMiB: 20 }, details: [{ path: "file", message: "too big" }] }).toBody();
    expect(body).toEqual({ error: { code: "file_too_large", message: "big", params: { maxMiB: 20 }, details: [{ path: "file", message: "too big" }] } });
  });

  it("answers the OAuth callback's failures with the statuses the sign-in page used", () => {
    expect((["invalid_shop", "missing_state", "invalid_callback", "wrong_grant", "bot", "exchange_failed"] as const).map(statusOfRefusal)).toEqual([400, 400, 400, 400, 403, 502]);
  });
});
