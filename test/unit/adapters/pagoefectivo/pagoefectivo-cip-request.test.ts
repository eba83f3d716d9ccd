import { describe, expect, it } from "vitest";

import { buildCreateCipBody, cut } from "../../../../app/adapters/pagoefectivo/pagoefectivo-cip-request";
import type { CreateCipRequest, PagoEfectivoError } from "../../../../app/ports/pagoefectivo-gateway";

const NOW = new Date("2026-11-27T15:00:00.000Z");

const request: CreateCipRequest = {
  amount: { amountMinor: 15000, currency: "PEN" },
  transactionCode: "session-0001",
  dateExpiry: new Date("2026-11-28T15:00:00.000Z"),
  userEmail: "comprador@example.pe",
  userPhone: "987654321",
  userCodeCountry: "+51",
};

function build(overrides: Partial<CreateCipRequest>) {
  return buildCreateCipBody({ ...request, ...overrides }, 1234, NOW);
}

function sentFields(overrides: Partial<CreateCipRequest>): Record<string, unknown> {
  const result = build(overrides);
  if (!result.ok) throw new Error(`expected a body, got ${JSON.stringify(result.error)}`);
  return JSON.parse(result.value.json) as Record<string, unknown>;
}

function fieldErrors(overrides: Partial<CreateCipRequest>): { code: string; field: string }[] {
  const result = build(overrides);
  if (result.ok) throw new Error("expected invalid_data");
  const error: PagoEfectivoError = result.error;
  expect(error.kind).toBe("invalid_data");
  expect(error.retryable).toBe(false);
  expect(error.httpStatus).toBeUndefined();
  return error.kind === "invalid_data" ? error.fields.map(({ code, field }) => ({ code, field })) : [];
}

describe("buildCreateCipBody", () => {
  it("writes amount as the literal 150.00 and the rest as ordinary JSON", () => {
    const result = build({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.json).toContain('"amount":150.00,');
    expect(result.value.json.startsWith('{"currency":"PEN","amount":150.00,"transactionCode":"session-0001"')).toBe(
      true,
    );
    expect(JSON.parse(result.value.json)).toStrictEqual({
      currency: "PEN",
      amount: 150,
      transactionCode: "session-0001",
      dateExpiry: "2026-11-28T10:00:00-05:00",
      userEmail: "comprador@example.pe",
      userPhone: "987654321",
      userCodeCountry: "+51",
      serviceId: 1234,
    });
    expect(result.value.origin).toBe("web");
    expect(result.value.language).toBe("es-PE");
  });

  it.each([
    [1, "0.01"],
    [10, "0.10"],
    [2205, "22.05"],
    [38_500_000, "385000.00"],
  ])("writes %d céntimos as %s", (amountMinor, literal) => {
    const result = build({ amount: { amountMinor, currency: "USD" } });
    expect(result.ok && result.value.json).toContain(`"currency":"USD","amount":${literal},`);
  });

  it("passes origin, language and every optional field", () => {
    const result = build({
      origin: "android",
      language: "en-US",
      paymentConcept: "Pedido #1001",
      additionalData: "tienda.myshopify.com",
      adminEmail: "admin@tienda.pe",
      userName: "María",
      userLastName: "Quispe",
      userDocumentType: "DNI",
      userDocumentNumber: "12345678",
      userUbigeo: "150115",
      userCountry: "PERU",
      userId: "customer-9",
    });
    if (!result.ok) throw new Error("expected ok");
    expect(result.value).toMatchObject({ origin: "android", language: "en-US" });
    expect(JSON.parse(result.value.json)).toMatchObject({
      paymentConcept: "Pedido #1001",
      additionalData: "tienda.myshopify.com",
      adminEmail: "admin@tienda.pe",
      userName: "María",
      userLastName: "Quispe",
      userDocumentType: "DNI",
      userDocumentNumber: "12345678",
      userUbigeo: "150115",
      userCountry: "PERU",
      userId: "customer-9",
    });
  });

  it("cuts free text to its limit: names 30, concept 50, additional data 200, country 20", () => {
    const fields = sentFields({
      userName: "N".repeat(45),
      userLastName: "L".repeat(31),
      paymentConcept: "C".repeat(60),
      additionalData: "A".repeat(250),
      userCountry: "R".repeat(25),
    });
    expect(fields.userName).toBe("N".repeat(30));
    expect(fields.userLastName).toBe("L".repeat(30));
    expect(fields.paymentConcept).toBe("C".repeat(50));
    expect(fields.additionalData).toBe("A".repeat(200));
    expect(fields.userCountry).toBe("R".repeat(20));
  });

  it("drops optional text that is blank, and trims", () => {
    const fields = sentFields({ userName: "   ", paymentConcept: "  Pedido  ", userDocumentNumber: "" });
    expect(fields).not.toHaveProperty("userName");
    expect(fields).not.toHaveProperty("userDocumentNumber");
    expect(fields.paymentConcept).toBe("Pedido");
  });

  it("keeps exactly 36 characters of transactionCode and refuses 37 (ids are never cut)", () => {
    expect(sentFields({ transactionCode: "x".repeat(36) }).transactionCode).toBe("x".repeat(36));
    expect(fieldErrors({ transactionCode: "x".repeat(37) })).toStrictEqual([{ code: "113", field: "transactionCode" }]);
    expect(fieldErrors({ transactionCode: "" })).toStrictEqual([{ code: "112", field: "transactionCode" }]);
  });

  it("refuses emails over 100 characters or without an @, and requires userEmail", () => {
    const local = "a".repeat(100 - "@x.pe".length);
    expect(sentFields({ userEmail: `${local}@x.pe` }).userEmail).toHaveLength(100);
    expect(fieldErrors({ userEmail: `a${local}@x.pe` })).toStrictEqual([{ code: "113", field: "userEmail" }]);
    expect(fieldErrors({ adminEmail: `a${local}@x.pe` })).toStrictEqual([{ code: "113", field: "adminEmail" }]);
    expect(fieldErrors({ userEmail: "no-at-sign" })).toStrictEqual([{ code: "113", field: "userEmail" }]);
    expect(fieldErrors({ userEmail: " " })).toStrictEqual([{ code: "112", field: "userEmail" }]);
  });

  it("sends userPhone as digits only, at most 15", () => {
    expect(sentFields({ userPhone: "987 654-321" }).userPhone).toBe("987654321");
    expect(sentFields({ userPhone: "(01) 234.5678" }).userPhone).toBe("012345678");
    expect(sentFields({ userPhone: "1".repeat(15) }).userPhone).toBe("1".repeat(15));
    expect(fieldErrors({ userPhone: "1".repeat(16) })).toStrictEqual([{ code: "113", field: "userPhone" }]);
    expect(fieldErrors({ userPhone: "+51987654321" })).toStrictEqual([{ code: "113", field: "userPhone" }]);
    expect(fieldErrors({ userPhone: "" })).toStrictEqual([{ code: "112", field: "userPhone" }]);
  });

  it("sends userCodeCountry like +51, at most 5 characters", () => {
    expect(sentFields({ userCodeCountry: "51" }).userCodeCountry).toBe("+51");
    expect(sentFields({ userCodeCountry: "+1809" }).userCodeCountry).toBe("+1809");
    expect(fieldErrors({ userCodeCountry: "+51234" })).toStrictEqual([{ code: "113", field: "userCodeCountry" }]);
    expect(fieldErrors({ userCodeCountry: "PE" })).toStrictEqual([{ code: "113", field: "userCodeCountry" }]);
    expect(fieldErrors({ userCodeCountry: "" })).toStrictEqual([{ code: "112", field: "userCodeCountry" }]);
  });

  it("refuses a document number over 14 characters, an unknown type and a bad ubigeo", () => {
    expect(sentFields({ userDocumentNumber: "1".repeat(14) }).userDocumentNumber).toBe("1".repeat(14));
    expect(fieldErrors({ userDocumentNumber: "1".repeat(15) })).toStrictEqual([
      { code: "113", field: "userDocumentNumber" },
    ]);
    expect(fieldErrors({ userDocumentType: "XYZ" as "DNI" })).toStrictEqual([{ code: "113", field: "userDocumentType" }]);
    expect(fieldErrors({ userUbigeo: "15011" })).toStrictEqual([{ code: "113", field: "userUbigeo" }]);
  });

  it("refuses a zero amount and an expiry that is not in the future", () => {
    expect(fieldErrors({ amount: { amountMinor: 0, currency: "PEN" } })).toStrictEqual([
      { code: "113", field: "amount" },
    ]);
    expect(fieldErrors({ dateExpiry: NOW })).toStrictEqual([{ code: "113", field: "dateExpiry" }]);
    expect(fieldErrors({ dateExpiry: new Date("x") })).toStrictEqual([{ code: "112", field: "dateExpiry" }]);
  });

  it("lists every problem at once", () => {
    expect(fieldErrors({ transactionCode: "", userEmail: "", userPhone: "x" })).toStrictEqual([
      { code: "112", field: "transactionCode" },
      { code: "112", field: "userEmail" },
      { code: "113", field: "userPhone" },
    ]);
  });
});

describe("cut", () => {
  it("never splits a character made of two UTF-16 units", () => {
    expect(cut(`${"a".repeat(29)}😀`, 30)).toBe("a".repeat(29));
    expect(cut("😀😀", 4)).toBe("😀😀");
    expect(cut("ñandú", 30)).toBe("ñandú");
    expect(cut(undefined, 30)).toBeUndefined();
  });
});
