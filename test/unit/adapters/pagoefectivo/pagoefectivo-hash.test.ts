import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { computeHashString } from "../../../../app/adapters/pagoefectivo/pagoefectivo-hash";

describe("computeHashString", () => {
  const input = {
    idService: 1234,
    accessKey: "ACCESSKEY0123456789X",
    secretKey: "s3cr3t/ñandú+key",
    dateRequest: "2020-11-15T15:45:00-05:00",
  };

  it("is lowercase hex SHA-256 of idService.accessKey.secretKey.dateRequest in UTF-8", () => {
    const expected = createHash("sha256")
      .update(Buffer.from("1234.ACCESSKEY0123456789X.s3cr3t/ñandú+key.2020-11-15T15:45:00-05:00", "utf8"))
      .digest("hex");
    expect(computeHashString(input)).toBe(expected);
    expect(computeHashString(input)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("pins a fixed vector so a change in the recipe is caught", () => {
    expect(
      computeHashString({ idService: 7, accessKey: "AK", secretKey: "SK", dateRequest: "2026-01-02T03:04:05-05:00" }),
    ).toBe(createHash("sha256").update("7.AK.SK.2026-01-02T03:04:05-05:00").digest("hex"));
  });

  it("depends on the exact dateRequest text, not just the instant", () => {
    const sameInstantOtherText = { ...input, dateRequest: "2020-11-15T20:45:00Z" };
    expect(computeHashString(sameInstantOtherText)).not.toBe(computeHashString(input));
  });

  it("depends on every part", () => {
    const base = computeHashString(input);
    expect(computeHashString({ ...input, idService: 1235 })).not.toBe(base);
    expect(computeHashString({ ...input, accessKey: "x" })).not.toBe(base);
    expect(computeHashString({ ...input, secretKey: "x" })).not.toBe(base);
  });
});
