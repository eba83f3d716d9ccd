import { describe, expect, it } from "vitest";

import { orderStatusShown } from "../../../app/domain/order-status-shown";

describe("orderStatusShown", () => {
  it("does not show a rejected session's order as awaiting payment", () => {
    expect(orderStatusShown("pending", "rejected")).toBe("no_payment");
    expect(orderStatusShown("AUTHORIZED", "rejected")).toBe("no_payment");
  });
  it("keeps what Shopify said otherwise, in lower case", () => {
    expect(orderStatusShown("pending", "pending")).toBe("pending");
    expect(orderStatusShown("VOIDED", "rejected")).toBe("voided");
    expect(orderStatusShown("paid", "resolved")).toBe("paid");
    expect(orderStatusShown(null, "rejected")).toBe("unknown");
  });
});
