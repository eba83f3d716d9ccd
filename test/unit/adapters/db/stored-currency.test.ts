import { describe, expect, it } from "vitest";

import { storedCurrency, storedCurrencyOrNull, UnknownStoredCurrency } from "../../../../app/adapters/db/stored-currency";
import { parseCurrency } from "../../../../app/domain/money";

describe("currencies read from outside", () => {
  it("accepts PEN and USD only; anything else is an error value, never PEN", () => {
    expect(parseCurrency("PEN")).toEqual({ ok: true, value: "PEN" });
    expect(parseCurrency("USD")).toEqual({ ok: true, value: "USD" });
    for (const bad of ["EUR", "pen", "", null, undefined, 604]) {
      expect(parseCurrency(bad)).toEqual({ ok: false, error: { kind: "unsupported_currency", input: String(bad) } });
    }
  });

  it("reports a stored row with an unknown currency instead of reading it as PEN", () => {
    expect(storedCurrency("USD", "PaymentSession")).toBe("USD");
    expect(() => storedCurrency("EUR", "PaymentSession")).toThrow(UnknownStoredCurrency);
    expect(() => storedCurrency("EUR", "PaymentSession")).toThrow('Unknown currency "EUR" in PaymentSession');
    expect(storedCurrencyOrNull(null, "PaymentSession")).toBeNull();
    expect(() => storedCurrencyOrNull("BRL", "PaymentSession")).toThrow(UnknownStoredCurrency);
  });
});
