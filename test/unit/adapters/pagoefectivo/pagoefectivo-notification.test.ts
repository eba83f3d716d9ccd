import { describe, expect, it } from "vitest";

import { parsePagoEfectivoNotification } from "../../../../app/contracts/pagoefectivo/notification";
import { fixtureBytes } from "./fake-fetch";

describe("parsePagoEfectivoNotification", () => {
  it("parses DOC's cip.paid example", () => {
    const result = parsePagoEfectivoNotification(fixtureBytes("notification-cip-paid.json"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      type: "cip.paid",
      operationNumber: "1253",
      cip: "11546901",
      amount: { amountMinor: 2205, currency: "PEN" },
      paymentDate: null,
      transactionCode: null,
    });
    if (result.value.type !== "unknown") expect(result.value.raw).toMatchObject({ eventType: "cip.paid" });
  });

  it("reads the optional paymentDate and transactionCode, and 100.00 as 10000 céntimos", () => {
    const result = parsePagoEfectivoNotification(fixtureBytes("notification-cip-paid-100.00.json"));
    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== "cip.paid") throw new Error("expected cip.paid");
    expect(result.value.amount).toStrictEqual({ amountMinor: 10000, currency: "PEN" });
    expect(result.value.paymentDate?.toISOString()).toBe("2020-06-19T04:28:45.122Z");
    expect(result.value.transactionCode).toBe("gid-shopify-session-1");
  });

  it("accepts cip and operationNumber as numbers, amount as a numeric string, and PascalCase keys", () => {
    const body =
      '{"EventType":"cip.paid","OperationNumber":987,"Data":{"Cip":2523136,"Currency":"USD","Amount":"15.50","PaymentDate":"2020-06-18T23:28:45-05:00"}}';
    const result = parsePagoEfectivoNotification(body);
    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== "cip.paid") throw new Error("expected cip.paid");
    expect(result.value.cip).toBe("2523136");
    expect(result.value.operationNumber).toBe("987");
    expect(result.value.amount).toStrictEqual({ amountMinor: 1550, currency: "USD" });
    expect(result.value.paymentDate).toBeInstanceOf(Date);
  });

  it("accepts an empty operationNumber (DOC: string 0..14) and an unreadable paymentDate as null", () => {
    const body = '{"eventType":"cip.paid","operationNumber":"","data":{"cip":"1","currency":"PEN","amount":1,"paymentDate":"ayer"}}';
    const result = parsePagoEfectivoNotification(body);
    expect(result.ok && result.value.type === "cip.paid" && result.value).toMatchObject({
      operationNumber: "",
      paymentDate: null,
    });
  });

  it("parses cip.expired and cip.refunded with the same data shape", () => {
    for (const type of ["cip.expired", "cip.refunded"] as const) {
      const result = parsePagoEfectivoNotification(
        `{"eventType":"${type}","data":{"cip":"11546901","currency":"PEN","amount":22.05,"transactionCode":"T-1"}}`,
      );
      expect(result).toMatchObject({
        ok: true,
        value: { type, cip: "11546901", operationNumber: null, amount: { amountMinor: 2205 }, transactionCode: "T-1" },
      });
    }
    const noAmount = parsePagoEfectivoNotification('{"eventType":"cip.expired","data":{"cip":"5"}}');
    expect(noAmount).toMatchObject({ ok: true, value: { type: "cip.expired", cip: "5", amount: null } });
  });

  it("returns unknown events without failing", () => {
    const result = parsePagoEfectivoNotification('{"eventType":"cip.something","data":{}}');
    expect(result).toMatchObject({ ok: true, value: { type: "unknown", eventType: "cip.something" } });
  });

  it("strips a UTF-8 byte order mark", () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixtureBytes("notification-cip-paid.json")]);
    expect(parsePagoEfectivoNotification(body).ok).toBe(true);
  });

  it.each([
    ["", "malformed_json", undefined],
    ["{not json", "malformed_json", undefined],
    ["[1,2]", "not_an_object", undefined],
    ["null", "not_an_object", undefined],
    ['"cip.paid"', "not_an_object", undefined],
    ["{}", "missing_field", "eventType"],
    ['{"eventType":5}', "invalid_field", "eventType"],
    ['{"eventType":"cip.paid","operationNumber":"1"}', "missing_field", "data"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":[]}', "invalid_field", "data"],
    ['{"eventType":"cip.paid","data":{"cip":"1","currency":"PEN","amount":1}}', "missing_field", "operationNumber"],
    ['{"eventType":"cip.paid","operationNumber":{},"data":{"cip":"1","currency":"PEN","amount":1}}', "invalid_field", "operationNumber"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"currency":"PEN","amount":1}}', "missing_field", "data.cip"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"12a","currency":"PEN","amount":1}}', "invalid_field", "data.cip"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":1.5,"currency":"PEN","amount":1}}', "invalid_field", "data.cip"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN"}}', "missing_field", "data.amount"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","amount":1}}', "missing_field", "data.currency"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"EUR","amount":1}}', "invalid_field", "data.currency"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN","amount":22.055}}', "invalid_field", "data.amount"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN","amount":-1}}', "invalid_field", "data.amount"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN","amount":"1e3"}}', "invalid_field", "data.amount"],
    ['{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN","amount":true}}', "invalid_field", "data.amount"],
  ])("refuses %j with %s", (body, reason, field) => {
    const result = parsePagoEfectivoNotification(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.reason).toBe(reason);
    expect(result.error.field).toBe(field);
    expect(result.error.message.length).toBeGreaterThan(0);
  });
});
