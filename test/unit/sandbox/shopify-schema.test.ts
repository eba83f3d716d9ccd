import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";

import { PAYMENTS_APPS_MUTATIONS } from "../../../app/adapters/shopify/payments-apps-mutations";
import { API_VERSIONS, servedVersion } from "../../../app/sandbox/shopify/schema/api-versions";
import { schemaFor } from "../../../app/sandbox/shopify/schema/versioned-schema";

describe("the simulator's versioned Shopify schemas", () => {
  it("accepts every document the app sends, in every supported version", () => {
    for (const version of [...API_VERSIONS, "unstable"]) {
      const schema = schemaFor("payments-apps", version);
      for (const document of PAYMENTS_APPS_MUTATIONS) {
        expect(validate(schema, parse(document.query)).map((error) => `${version} ${document.operationName}: ${error.message}`)).toEqual([]);
      }
    }
  });

  it("drops what a version lacks", () => {
    const reasons = (version: string) =>
      schemaFor("payments-apps", version)
        .getType("PaymentSessionStateRejectedReason")
        ?.toJSON();
    expect(reasons("2025-10")).toBe("PaymentSessionStateRejectedReason");
    const values = (version: string, type: string) => {
      const enumType = schemaFor("payments-apps", version).getType(type);
      return enumType && "getValues" in enumType ? enumType.getValues().map((value) => value.name) : [];
    };
    expect(values("2025-10", "PaymentSessionStateRejectedReason")).not.toContain("CANCELLED_PAYMENT");
    expect(values("2026-04", "PaymentSessionStateRejectedReason")).toContain("CANCELLED_PAYMENT");
    expect(values("2025-04", "PaymentSessionStatePendingReason")).not.toContain("MERCHANT_ACTION_REQUIRED");
    expect(values("2025-07", "PaymentSessionStatePendingReason")).toContain("MERCHANT_ACTION_REQUIRED");
    expect(schemaFor("payments-apps", "2025-04").getType("PaymentSessionStateBuyerActionRequired")).toBeUndefined();
    expect(schemaFor("payments-apps", "2025-07").getType("PaymentSessionStateBuyerActionRequired")).toBeDefined();
  });

  it("falls forward from a retired version and refuses one that does not exist", () => {
    expect(servedVersion("2024-07")).toBe("2025-01");
    expect(servedVersion("2026-04")).toBe("2026-04");
    expect(servedVersion("2031-01")).toBeNull();
    expect(servedVersion("2026-05")).toBeNull();
    expect(servedVersion("latest")).toBeNull();
  });
});
