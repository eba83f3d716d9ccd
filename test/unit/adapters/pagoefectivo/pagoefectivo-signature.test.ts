import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  signNotification,
  verifyNotificationSignature,
} from "../../../../app/adapters/pagoefectivo/pagoefectivo-signature";
import { fixtureBytes } from "./fake-fetch";

const SECRET = "merchant-secret-key";

describe("signNotification", () => {
  it("is lowercase hex HMAC-SHA256 of the bytes with the secretKey", () => {
    const body = Buffer.from('{"eventType":"cip.paid"}');
    const expected = createHmac("sha256", SECRET).update(body).digest("hex");
    expect(signNotification(body, SECRET)).toBe(expected);
    expect(signNotification(body.toString("utf8"), SECRET)).toBe(expected);
  });
});

describe("verifyNotificationSignature", () => {
  const body = fixtureBytes("notification-cip-paid.json");
  const signature = signNotification(body, SECRET);

  it("accepts the DOC example body signed with the secret", () => {
    expect(verifyNotificationSignature(body, signature, SECRET)).toStrictEqual({ valid: true });
  });

  it("accepts upper-case hex and surrounding whitespace", () => {
    expect(verifyNotificationSignature(body, ` ${signature.toUpperCase()} `, SECRET)).toStrictEqual({ valid: true });
  });

  it("verifies the raw bytes of a body with amount 100.00, which a re-serialized copy would not", () => {
    const raw = fixtureBytes("notification-cip-paid-100.00.json");
    expect(raw.toString("utf8")).toContain('"amount":100.00');
    const header = signNotification(raw, SECRET);

    expect(verifyNotificationSignature(raw, header, SECRET)).toStrictEqual({ valid: true });

    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString("utf8"))));
    expect(reserialized.toString("utf8")).toContain('"amount":100,');
    expect(verifyNotificationSignature(reserialized, header, SECRET)).toStrictEqual({
      valid: false,
      reason: "mismatch",
    });
  });

  it("rejects a wrong secret, a changed body and a changed signature as mismatch", () => {
    expect(verifyNotificationSignature(body, signature, "other-secret")).toStrictEqual({
      valid: false,
      reason: "mismatch",
    });
    const tampered = Buffer.from(body.toString("utf8").replace("22.05", "22.06"));
    expect(verifyNotificationSignature(tampered, signature, SECRET)).toStrictEqual({ valid: false, reason: "mismatch" });
    const flipped = (signature[0] === "0" ? "1" : "0") + signature.slice(1);
    expect(verifyNotificationSignature(body, flipped, SECRET)).toStrictEqual({ valid: false, reason: "mismatch" });
  });

  it.each([undefined, "", "   "])("reports a missing signature for %j", (header) => {
    expect(verifyNotificationSignature(body, header, SECRET)).toStrictEqual({
      valid: false,
      reason: "missing_signature",
    });
  });

  it("reports malformed signatures without reaching the comparison", () => {
    const cases = [
      signature.slice(0, 63), // too short
      `${signature}0`, // too long
      `${signature.slice(0, 62)}zz`, // not hex
      `sha256=${signature}`,
      Buffer.from(signature, "hex").toString("base64"),
      "ä".repeat(64),
    ];
    for (const header of cases) {
      expect(verifyNotificationSignature(body, header, SECRET)).toStrictEqual({
        valid: false,
        reason: "malformed_signature",
      });
    }
  });
});
