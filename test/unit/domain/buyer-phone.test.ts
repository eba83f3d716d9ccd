import { describe, expect, it } from "vitest";

import { parseBuyerPhone } from "../../../app/domain/buyer-phone";

describe("parseBuyerPhone", () => {
  it.each([
    ["987654321", "987654321"],
    ["987 654 321", "987654321"],
    ["987-654-321", "987654321"],
    [" 987.654.321 ", "987654321"],
    ["(987) 654 321", "987654321"],
    ["+51 987 654 321", "987654321"],
    ["0051987654321", "987654321"],
    ["51987654321", "987654321"],
  ])("reads %j as the Peruvian mobile %s", (raw, number) => {
    expect(parseBuyerPhone("+51", raw)).toEqual({ ok: true, value: { countryCode: "+51", number } });
  });

  it.each([
    ["", { kind: "empty" }],
    ["   ", { kind: "empty" }],
    ["98765432a", { kind: "characters" }],
    ["987/654/321", { kind: "characters" }],
    ["887654321", { kind: "peru_start" }],
    ["98765432", { kind: "peru_length", digits: 8 }],
    ["987 654 3", { kind: "peru_length", digits: 7 }],
    ["9876543210", { kind: "peru_length", digits: 10 }],
  ] as const)("says what is wrong with %j", (raw, problem) => {
    expect(parseBuyerPhone("+51", raw)).toEqual({ ok: false, error: problem });
  });

  it("takes 6 to 15 digits for other countries", () => {
    expect(parseBuyerPhone("+57", "300 123 4567")).toEqual({ ok: true, value: { countryCode: "+57", number: "3001234567" } });
    expect(parseBuyerPhone("+57", "12345")).toEqual({ ok: false, error: { kind: "other_length", digits: 5 } });
    expect(parseBuyerPhone("+1", "1234567890123456")).toEqual({ ok: false, error: { kind: "other_length", digits: 16 } });
  });

  it("refuses a country code that is not one", () => {
    expect(parseBuyerPhone("51", "987654321")).toEqual({ ok: false, error: { kind: "country" } });
    expect(parseBuyerPhone("+51<x>", "987654321")).toEqual({ ok: false, error: { kind: "country" } });
  });
});
