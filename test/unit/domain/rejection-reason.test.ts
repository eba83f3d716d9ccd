import { describe, expect, it } from "vitest";

import { rejectionCode } from "../../../app/domain/rejection-reason";

describe("rejectionCode", () => {
  it("names each rejection the app records, for the panel to word", () => {
    expect(rejectionCode("The CIP expired unpaid")).toBe("cip_expired");
    expect(rejectionCode("No payment arrived for a CIP whose creation PagoEfectivo never confirmed")).toBe("cip_unconfirmed");
    expect(rejectionCode("The buyer never completed the payment details")).toBe("buyer_abandoned");
    expect(rejectionCode("The order was cancelled in Shopify")).toBe("order_cancelled");
    expect(rejectionCode('PagoEfectivo only supports sales; "authorization" sessions cannot be authorized and captured later')).toBe("not_a_sale");
    expect(rejectionCode("PagoEfectivo only accepts PEN and USD, not EUR")).toBe("currency_not_accepted");
    expect(rejectionCode("PagoEfectivo sandbox credentials are not configured")).toBe("credentials_missing");
  });
  it("keeps PagoEfectivo's own refusals as 'other', and no reason as none", () => {
    expect(rejectionCode("El monto excede el máximo permitido")).toBe("other");
    expect(rejectionCode(null)).toBeNull();
  });
});
