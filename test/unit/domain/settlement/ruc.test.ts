import { describe, expect, it } from "vitest";

import { rucCheckDigit, validateRuc } from "../../../../app/domain/settlement/ruc";

describe("validateRuc", () => {
  // Check digits computed by hand with SUNAT's weights 5,4,3,2,7,6,5,4,3,2 (see rucCheckDigit tests).
  it.each([
    ["20100070970", "company (20)"],
    ["20131312955", "company (20)"],
    ["20100047218", "company (20)"],
    ["10460278975", "person (10)"],
    ["15123456782", "prefix 15"],
    ["16000000128", "prefix 16"],
    ["17123456700", "prefix 17, 11 − r = 10 gives 0"],
    ["20600000081", "sum ≡ 0 (mod 11): 11 − 0 = 11 gives 1"],
    ["20600000030", "sum ≡ 1 (mod 11): 11 − 1 = 10 gives 0"],
  ])("accepts %s (%s)", (ruc) => {
    expect(validateRuc(ruc)).toEqual({ valid: true });
  });

  it.each([
    ["20100070971", "bad_check_digit"],
    ["20600000080", "bad_check_digit"],
    ["10460278970", "bad_check_digit"],
    ["30100070970", "unknown_prefix"],
    ["11100070970", "unknown_prefix"],
    ["2010007097", "not_11_digits"],
    ["201000709700", "not_11_digits"],
    ["2010007097A", "not_11_digits"],
    [" 20100070970", "not_11_digits"],
    ["20-10007097", "not_11_digits"],
    ["", "not_11_digits"],
  ] as const)("rejects %j as %s", (ruc, reason) => {
    expect(validateRuc(ruc)).toEqual({ valid: false, reason });
  });
});

describe("rucCheckDigit", () => {
  it("follows the modulo-11 rule step by step", () => {
    // 2·5 + 0·4 + 1·3 + 0·2 + 0·7 + 0·6 + 7·5 + 0·4 + 9·3 + 7·2 = 10 + 3 + 35 + 27 + 14 = 89;
    // 89 mod 11 = 1; 11 − 1 = 10, which is written 0.
    expect(rucCheckDigit("2010007097")).toBe(0);
    // 2·5 + 6·3 + 1·2 = 30; 30 mod 11 = 8; 11 − 8 = 3.
    expect(rucCheckDigit("2060000001")).toBe(3);
  });

  it("computes the published digits", () => {
    expect(rucCheckDigit("2060000008")).toBe(1);
    expect(rucCheckDigit("2060000003")).toBe(0);
    expect(rucCheckDigit("1046027897")).toBe(5);
  });

  it("refuses anything but ten digits", () => {
    expect(() => rucCheckDigit("123")).toThrow(RangeError);
  });
});
