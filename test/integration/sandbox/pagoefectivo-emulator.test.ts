import { createHmac } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { FixedClock } from "../../../app/lib/clock";
import {
  authorizationHash,
  bearer,
  cipBody,
  type EmulatorHarness,
  getToken,
  limaDate,
  makeTempDataDir,
  type NotificationReceiver,
  removeDir,
  send,
  startEmulator,
  startNotificationReceiver,
  type TestService,
} from "../../helpers/pagoefectivo-emulator-harness";

const START = new Date("2025-06-02T15:00:00.000Z"); // 10:00 in Lima
const SERVICE: TestService = { idService: 1234, accessKey: "AKtest0123456789abcd", secretKey: "sk-test-secret-0001" };
const OTHER: TestService = { idService: 4321, accessKey: "AKother", secretKey: "sk-other" };

let clock: FixedClock;
let dataDir: string;
let h: EmulatorHarness;
let receiver: NotificationReceiver;
let base: string;

beforeAll(async () => {
  clock = new FixedClock(START);
  dataDir = await makeTempDataDir();
  receiver = await startNotificationReceiver();
  h = await startEmulator({ dataDir, clock });
  base = h.baseUrl;
  await h.emulator.registerService({ ...SERVICE, notificationUrl: receiver.url, codeService: "SHOP" });
  await h.emulator.registerService({ ...OTHER, notificationUrl: null });
});

afterAll(async () => {
  await h.stop();
  await receiver.close();
  await removeDir(dataDir);
});

beforeEach(async () => {
  clock.set(START);
  await h.emulator.whenIdle();
  receiver.reset();
  await send("DELETE", `${base}/faults`);
});

async function createCip(token: string, body: string = cipBody()): Promise<number> {
  const res = await send("POST", `${base}/v1/cips`, { body, headers: bearer(token) });
  expect(res.status, res.text).toBe(201);
  return res.json.data.cip as number;
}

const hmac = (body: Buffer, key: string) => createHmac("sha256", key).update(body).digest("hex");

describe("POST /v1/authorizations", () => {
  const authBody = (overrides: Record<string, unknown> = {}, s: TestService = SERVICE) => {
    const dateRequest = (overrides.dateRequest as string | undefined) ?? limaDate(clock.now());
    return {
      accessKey: s.accessKey,
      idService: s.idService,
      dateRequest,
      hashString: authorizationHash(s.idService, s.accessKey, s.secretKey, dateRequest),
      ...overrides,
    };
  };

  it("accepts a 5-digit idService as production services have (20329), and a -0500 dateRequest", async () => {
    const five: TestService = { idService: 20329, accessKey: "AKfive", secretKey: "sk-five" };
    await h.emulator.registerService({ ...five, notificationUrl: null });
    const ok = await send("POST", `${base}/v1/authorizations`, { body: authBody({}, five) });
    expect(ok.status, ok.text).toBe(201);
    const dateRequest = limaDate(clock.now()).replace(/-05:00$/, "-0500");
    const compact = await send("POST", `${base}/v1/authorizations`, { body: authBody({ dateRequest, hashString: authorizationHash(five.idService, five.accessKey, five.secretKey, dateRequest) }, five) });
    expect(compact.status, compact.text).toBe(201);
    const tooLong = await send("POST", `${base}/v1/authorizations`, { body: authBody({ idService: 1234567890 }, five) });
    expect(tooLong.status).toBe(400);
  });

  it("issues a 2 h HS256 JWT for a correctly signed request", async () => {
    const res = await send("POST", `${base}/v1/authorizations`, { body: authBody() });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      code: "100",
      message: "Solicitud exitosa.",
      data: { codeService: "SHOP", tokenStart: "2025-06-02T10:00:00-05:00", tokenExpires: "2025-06-02T12:00:00-05:00" },
    });
    const [header] = (res.json.data.token as string).split(".");
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toMatchObject({ alg: "HS256", typ: "JWT" });
  });

  it("accepts a dateRequest within 10 minutes of the clock", async () => {
    const res = await send("POST", `${base}/v1/authorizations`, {
      body: authBody({ dateRequest: limaDate(new Date(START.getTime() - 9 * 60_000)) }),
    });
    expect(res.status).toBe(201);
  });

  it("answers 401 for a wrong hash", async () => {
    const res = await send("POST", `${base}/v1/authorizations`, { body: authBody({ hashString: "a".repeat(64) }) });
    expect(res.status).toBe(401);
  });

  it("answers 401 for an unknown accessKey and for an accessKey of another idService", async () => {
    const unknown = await send("POST", `${base}/v1/authorizations`, { body: authBody({}, { ...SERVICE, accessKey: "nobody" }) });
    expect(unknown.status).toBe(401);
    const mismatched = await send("POST", `${base}/v1/authorizations`, { body: authBody({}, { ...SERVICE, idService: OTHER.idService }) });
    expect(mismatched.status).toBe(401);
  });

  it("rejects a stale dateRequest as an invalid value", async () => {
    const res = await send("POST", `${base}/v1/authorizations`, {
      body: authBody({ dateRequest: limaDate(new Date(START.getTime() - 11 * 60_000)) }),
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      code: "111",
      message: "Solicitud con datos inválidos.",
      data: [{ code: "113", message: "Valor inválido.", field: "dateRequest" }],
    });
  });

  it("rejects a dateRequest not in yyyy-mm-ddThh:mm:ss-05:00", async () => {
    const res = await send("POST", `${base}/v1/authorizations`, { body: authBody({ dateRequest: START.toISOString() }) });
    expect(res.status).toBe(400);
    expect(res.json.data).toEqual([{ code: "113", message: "Valor inválido.", field: "dateRequest" }]);
  });

  it("reports a missing hashString as 112 Requerido", async () => {
    const body: Record<string, unknown> = authBody();
    delete body.hashString;
    const res = await send("POST", `${base}/v1/authorizations`, { body });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      code: "111",
      message: "Solicitud con datos inválidos.",
      data: [{ code: "112", message: "Requerido.", field: "hashString" }],
    });
  });
});

describe("POST /v1/cips", () => {
  let token: string;
  beforeEach(async () => {
    token = await getToken(base, SERVICE, clock);
  });

  it("creates a CIP from an amount literal 150.00 and answers like the real service", async () => {
    const res = await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: bearer(token) });
    expect(res.status).toBe(201);
    expect(res.text).toContain('"amount":150,');
    expect(res.json).toMatchObject({
      code: 100,
      message: "Solicitud exitosa.",
      data: { currency: "PEN", amount: 150, transactionCode: "order-1001", dateExpiry: "2030-01-01T00:00:00-05:00" },
    });
    expect(String(res.json.data.cip)).toMatch(/^\d{7,8}$/);
    expect(res.json.data.cipUrl).toMatch(new RegExp(`^${base}/voucher/[0-9A-F-]{36}\\.html$`));
  });

  it("numbers CIPs sequentially and creates a second CIP for a repeated transactionCode", async () => {
    const first = await createCip(token);
    const second = await createCip(token);
    expect(second).toBe(first + 1);
    const list = await send("GET", `${base}/cips?transactionCode=order-1001`);
    const numbers = (list.json.cips as { cip: string }[]).map((c) => Number(c.cip));
    expect(numbers.slice(0, 2)).toEqual([second, first]);
  });

  it("binds PascalCase keys and keeps amounts like 20.5", async () => {
    const body = `{"Currency":"USD","Amount":20.50,"TransactionCode":"pascal","UserEmail":"a@b.pe","UserPhone":"999","UserCodeCountry":"+51"}`;
    const res = await send("POST", `${base}/v1/cips`, { body, headers: bearer(token) });
    expect(res.status, res.text).toBe(201);
    expect(res.json.data).toMatchObject({ currency: "USD", amount: 20.5, transactionCode: "pascal", dateExpiry: "2025-06-03T10:00:00-05:00" });
  });

  it("reports a missing userPhone as 112 on field userPhone", async () => {
    const res = await send("POST", `${base}/v1/cips`, { body: cipBody({ userPhone: undefined }), headers: bearer(token) });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      code: "111",
      message: "Solicitud con datos inválidos.",
      data: [{ code: "112", message: "Requerido.", field: "userPhone" }],
    });
  });

  it.each([
    ["currency", cipBody({ currency: "EUR" })],
    ["amount", cipBody({}, "150.001")],
    ["amount", cipBody({}, "-5.00")],
    ["amount", cipBody({}, '"150.001"')],
    ["transactionCode", cipBody({ transactionCode: "x".repeat(37) })],
    ["dateExpiry", cipBody({ dateExpiry: "2025-06-02T09:00:00-05:00" })],
    ["dateExpiry", cipBody({ dateExpiry: "2030-01-01 00:00:00-05:00" })],
    ["userEmail", cipBody({ userEmail: "not-an-email" })],
    ["userPhone", cipBody({ userPhone: "+51 987" })],
    ["userName", cipBody({ userName: "n".repeat(31) })],
    ["paymentConcept", cipBody({ paymentConcept: "c".repeat(51) })],
    ["userDocumentType", cipBody({ userDocumentType: "RUC" })],
  ])("rejects an invalid %s with 113", async (field, body) => {
    const res = await send("POST", `${base}/v1/cips`, { body, headers: bearer(token) });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("111");
    expect(res.json.data).toEqual([{ code: "113", message: "Valor inválido.", field }]);
  });

  it("lists every failing field in table order", async () => {
    const body = JSON.stringify({ currency: "PEN", transactionCode: "t" });
    const res = await send("POST", `${base}/v1/cips`, { body, headers: bearer(token) });
    expect(res.json.data.map((e: { field: string }) => e.field)).toEqual(["amount", "userEmail", "userPhone", "userCodeCountry"]);
  });

  it("answers 511 above the service maximum, also for USD at the PEN-equivalent", async () => {
    const max = await send("POST", `${base}/v1/cips`, { body: cipBody({}, "385000.00"), headers: bearer(token) });
    expect(max.status).toBe(201);
    const over = await send("POST", `${base}/v1/cips`, { body: cipBody({}, "385000.01"), headers: bearer(token) });
    expect(over.status).toBe(400);
    expect(over.json.code).toBe("511");
    const usd = await send("POST", `${base}/v1/cips`, { body: cipBody({ currency: "USD" }, "110000.00"), headers: bearer(token) });
    expect(usd.json.code).toBe("511");
  });

  it("answers 508 when the body names another service than the token's", async () => {
    const res = await send("POST", `${base}/v1/cips`, { body: cipBody({ serviceId: OTHER.idService }), headers: bearer(token) });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("508");
  });

  it("answers 401 without a token, with a forged token and with an expired token", async () => {
    const none = await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: { Origin: "web" } });
    expect(none.status).toBe(401);
    const forged = await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: bearer(`${token.slice(0, -4)}AAAA`) });
    expect(forged.status).toBe(401);

    clock.advance(2 * 3600 - 1);
    expect((await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: bearer(token) })).status).toBe(201);
    clock.advance(1);
    const expired = await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: bearer(token) });
    expect(expired.status).toBe(401);
  });

  it("is as tolerant as the real service: no Origin, amount as a string, userId as a number, a -0500 offset", async () => {
    // Reference §7: DEMO, .NET, Django and Java clients send no Origin; PHP, Ruby, Django and Java send the amount
    // as a string; Ruby and Java write -0500; Django and PHP send userId as a number. All are served.
    const noOrigin = await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: { Authorization: `Bearer ${token}` } });
    expect(noOrigin.status, noOrigin.text).toBe(201);
    const tolerant = cipBody({ userId: 12345, dateExpiry: "2030-01-01T00:00:00-0500" }, '"150.50"');
    const res = await send("POST", `${base}/v1/cips`, { body: tolerant, headers: { Authorization: `Bearer ${token}` } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.data).toMatchObject({ amount: 150.5, dateExpiry: "2030-01-01T00:00:00-05:00" });
    const view = await send("GET", `${base}/cips/${res.json.data.cip}`);
    expect(view.json).toMatchObject({ amount: "150.50" });
  });

  it("accepts letters in userDocumentNumber (a passport or CE number; DOC says N 14: guess G-DOCUMENT-NUMBER), up to 14", async () => {
    const passport = await send("POST", `${base}/v1/cips`, { body: cipBody({ userDocumentType: "PAS", userDocumentNumber: "AB1234567" }), headers: bearer(token) });
    expect(passport.status, passport.text).toBe(201);
    const tooLong = await send("POST", `${base}/v1/cips`, { body: cipBody({ userDocumentType: "PAS", userDocumentNumber: "A".repeat(15) }), headers: bearer(token) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.data).toEqual([{ code: "113", message: "Valor inválido.", field: "userDocumentNumber" }]);
  });

  it("wants a JSON content type", async () => {
    const text = await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: { ...bearer(token), "Content-Type": "text/plain" } });
    expect(text.status).toBe(415);
  });

  it("serves an escaped Spanish voucher page without external assets", async () => {
    const res = await send("POST", `${base}/v1/cips`, {
      body: cipBody({ transactionCode: "<script>x</script>", paymentConcept: 'Pedido "A&B"' }),
      headers: bearer(token),
    });
    const page = await fetch(res.json.data.cipUrl as string);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain(String(res.json.data.cip));
    expect(html).toContain("S/ 150.00");
    expect(html).toContain("01/01/2030 00:00");
    expect(html).toContain("Pendiente");
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).toContain("Pedido &quot;A&amp;B&quot;");
    expect(html).not.toContain("<script");
    expect(html).not.toMatch(/(src|href)=/);
    expect((await fetch(`${base}/voucher/00000000-0000-0000-0000-000000000000.html`)).status).toBe(404);
  });
});

describe("POST /v1/cips/search", () => {
  let token: string;
  beforeEach(async () => {
    token = await getToken(base, SERVICE, clock);
  });

  it("returns known CIPs with vendor statuses and 1900 for absent dates, omitting unknown ones", async () => {
    const cip = await createCip(token, cipBody({ dateExpiry: "2025-06-02T12:00:00-05:00" }));
    const res = await send("POST", `${base}/v1/cips/search`, { body: { data: [{ cip }, { cip: 99999999 }] }, headers: bearer(token) });
    expect(res.status).toBe(200);
    // DEMO Views/Cips/ConsultarCip.cshtml: code 502 "Consulta exitosa.", dateCreation/datePayment with milliseconds.
    expect(res.json).toEqual({
      code: 502,
      message: "Consulta exitosa.",
      data: [
        {
          cip,
          transactionCode: "order-1001",
          amount: 150,
          currency: "PEN",
          status: 22,
          statusName: "Pendiente",
          dateCreation: "2025-06-02T10:00:00.000-05:00",
          dateExpiry: "2025-06-02T12:00:00-05:00",
          datePayment: "1900-01-01T00:00:00-05:00",
          dateRemoval: "1900-01-01T00:00:00-05:00",
        },
      ],
    });
  });

  it("computes expiry from the clock and binds {\"Data\":[{\"Cip\":...}]}", async () => {
    const cip = await createCip(token, cipBody({ dateExpiry: "2025-06-02T11:00:00-05:00" }));
    clock.advance(3600);
    const fresh = await getToken(base, SERVICE, clock);
    const res = await send("POST", `${base}/v1/cips/search`, { body: `{"Data":[{"Cip":"${cip}"}]}`, headers: bearer(fresh) });
    expect(res.json.data[0]).toMatchObject({ cip, status: 21, statusName: "Expirado" });
  });

  it("omits CIPs of other services", async () => {
    const cip = await createCip(token);
    const other = await getToken(base, OTHER, clock);
    const res = await send("POST", `${base}/v1/cips/search`, { body: { data: [{ cip }] }, headers: bearer(other) });
    expect(res.json.data).toEqual([]);
  });

  it("rejects more than 10 CIPs", async () => {
    const data = Array.from({ length: 11 }, (_, i) => ({ cip: 2_000_000 + i }));
    const res = await send("POST", `${base}/v1/cips/search`, { body: { data }, headers: bearer(token) });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "111", data: [{ code: "113", field: "data" }] });
    const ten = await send("POST", `${base}/v1/cips/search`, { body: { data: data.slice(0, 10) }, headers: bearer(token) });
    expect(ten.status).toBe(200);
  });
});

describe("PATCH and DELETE /v1/cips/:cip", () => {
  let token: string;
  beforeEach(async () => {
    token = await getToken(base, SERVICE, clock);
  });
  const searchOne = async (cip: number) =>
    (await send("POST", `${base}/v1/cips/search`, { body: { data: [{ cip }] }, headers: bearer(token) })).json.data[0];

  it("changes the expiry of a pending CIP", async () => {
    const cip = await createCip(token);
    const res = await send("PATCH", `${base}/v1/cips/${cip}`, { body: { DateExpiry: "2030-06-30T23:59:59-05:00" }, headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(res.json.code).toBe("100");
    expect((await searchOne(cip)).dateExpiry).toBe("2030-06-30T23:59:59-05:00");
  });

  it("refuses to patch a paid CIP, makes an expired one pending again (CSDOC), and validates the new date", async () => {
    const paid = await createCip(token);
    await send("POST", `${base}/cips/${paid}/pay`, { body: { notify: false } });
    const res = await send("PATCH", `${base}/v1/cips/${paid}`, { body: { dateExpiry: "2030-06-30T23:59:59-05:00" }, headers: bearer(token) });
    expect(res.status).toBe(400);
    expect(res.json.data).toEqual([{ code: "113", message: "Valor inválido.", field: "cip" }]);

    // CSDOC: a new expiry makes an expired CIP pending again.
    const expiring = await createCip(token, cipBody({ dateExpiry: "2025-06-02T10:30:00-05:00" }));
    clock.advance(3600);
    expect((await send("GET", `${base}/cips/${expiring}`)).json.status).toBe("expired");
    const late = await send("PATCH", `${base}/v1/cips/${expiring}`, { body: { dateExpiry: "2030-06-30T23:59:59-05:00" }, headers: bearer(token) });
    expect(late.status, late.text).toBe(200);
    expect(late.json.data).toMatchObject({ status: 22, statusName: "Pendiente", dateExpiry: "2030-06-30T23:59:59-05:00" });

    const pending = await createCip(token);
    const past = await send("PATCH", `${base}/v1/cips/${pending}`, { body: { dateExpiry: "2025-06-02T09:00:00-05:00" }, headers: bearer(token) });
    expect(past.json.data).toEqual([{ code: "113", message: "Valor inválido.", field: "dateExpiry" }]);
    const missing = await send("PATCH", `${base}/v1/cips/${pending}`, { body: {}, headers: bearer(token) });
    expect(missing.json.data).toEqual([{ code: "112", message: "Requerido.", field: "dateExpiry" }]);
  });

  it("deletes a pending CIP once", async () => {
    const cip = await createCip(token);
    const res = await send("DELETE", `${base}/v1/cips/${cip}`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ cip, status: 25, statusName: "Eliminado", dateRemoval: "2025-06-02T10:00:00-05:00" });
    expect((await send("DELETE", `${base}/v1/cips/${cip}`, { headers: bearer(token) })).status).toBe(400);
    expect((await send("POST", `${base}/cips/${cip}/pay`)).status).toBe(409);
    expect((await send("DELETE", `${base}/v1/cips/99999999`, { headers: bearer(token) })).status).toBe(404);
  });

  it("shows nothing at a deleted CIP's voucher (CSDOC)", async () => {
    const created = await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: bearer(token) });
    const voucher = new URL(created.json.data.cipUrl as string);
    expect((await send("GET", voucher.href)).status).toBe(200);
    await send("DELETE", `${base}/v1/cips/${created.json.data.cip}`, { headers: bearer(token) });
    const gone = await send("GET", voucher.href);
    expect(gone.status).toBe(404);
    expect(gone.text).not.toContain(String(created.json.data.cip));
  });

  it("answers 400, not 500, to a malformed %-escape in the path", async () => {
    for (const method of ["PATCH", "DELETE"]) {
      const res = await send(method, `${base}/v1/cips/%FF`, { body: {}, headers: bearer(token) });
      expect(res.status, `${method} ${res.text}`).toBe(400);
      expect(res.json.code).toBe("111");
    }
    for (const url of [`${base}/cips/%FF`, `${base}/cips/%E0%A4%A/pay`]) {
      const res = await send(url.endsWith("/pay") ? "POST" : "GET", url);
      expect(res.status, res.text).toBe(400);
    }
  });
});

describe("payment and notifications", () => {
  let token: string;
  beforeEach(async () => {
    token = await getToken(base, SERVICE, clock);
  });

  it("pays a CIP and sends a cip.paid notification signed over the raw body", async () => {
    const cip = await createCip(token);
    clock.advance(600);
    const res = await send("POST", `${base}/cips/${cip}/pay`, { body: { channel: "agente" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ cip: String(cip), status: "paid", statusCode: 23, amount: "150.00", channel: "agente" });
    expect(res.json.operationNumber).toMatch(/^\d+$/);
    expect(res.json.notifications).toEqual([expect.objectContaining({ url: receiver.url, attempt: 1, httpStatus: 200 })]);

    expect(receiver.received).toHaveLength(1);
    const n = receiver.received[0]!;
    expect(n.headers["content-type"]).toBe("application/json");
    expect(n.headers["pe-signature"]).toBe(hmac(n.rawBody, SERVICE.secretKey));
    // DOC §5.2: exactly eventType, operationNumber, data {cip, currency, amount}.
    expect(n.rawBody.toString()).toBe(
      `{"eventType":"cip.paid","operationNumber":"${res.json.operationNumber}","data":{"cip":"${cip}","currency":"PEN","amount":150.00}}`,
    );

    // A 200 is final: no retry follows.
    await h.emulator.whenIdle();
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received).toHaveLength(1);
    expect((await send("GET", `${base}/cips/${cip}`)).json.notifications).toHaveLength(1);

    const search = await send("POST", `${base}/v1/cips/search`, { body: { data: [{ cip }] }, headers: bearer(token) });
    expect(search.json.data[0]).toMatchObject({ status: 23, statusName: "Pagado", datePayment: "2025-06-02T10:10:00.000-05:00" });
    expect((await send("POST", `${base}/cips/${cip}/pay`)).status).toBe(409);
  });

  it("retries a failed delivery exactly once", async () => {
    const cip = await createCip(token);
    receiver.respondWith(500, 500, 500);
    const res = await send("POST", `${base}/cips/${cip}/pay`);
    expect(res.json.notifications).toEqual([expect.objectContaining({ attempt: 1, httpStatus: 500 })]);
    await h.emulator.whenIdle();
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.rawBody.equals(receiver.received[0]!.rawBody)).toBe(true);
    const view = await send("GET", `${base}/cips/${cip}`);
    expect(view.json.notifications.map((x: { attempt: number; httpStatus: number }) => [x.attempt, x.httpStatus])).toEqual([
      [1, 500],
      [2, 500],
    ]);
  });

  it("records network errors and stops after the retry succeeds", async () => {
    const cip = await createCip(token);
    receiver.respondWith(503);
    await send("POST", `${base}/cips/${cip}/pay`);
    await h.emulator.whenIdle();
    expect(receiver.received).toHaveLength(2);

    await h.emulator.registerService({ ...SERVICE, notificationUrl: "http://127.0.0.1:9/unreachable", codeService: "SHOP" });
    try {
      const other = await createCip(token);
      const res = await send("POST", `${base}/cips/${other}/pay`);
      await h.emulator.whenIdle();
      const view = await send("GET", `${base}/cips/${other}`);
      expect(res.json.notifications[0]).toMatchObject({ attempt: 1, httpStatus: null, error: expect.any(String) });
      expect(view.json.notifications).toHaveLength(2);
    } finally {
      await h.emulator.registerService({ ...SERVICE, notificationUrl: receiver.url, codeService: "SHOP" });
    }
  });

  it("sends duplicates as identical extra deliveries", async () => {
    const cip = await createCip(token);
    await send("POST", `${base}/cips/${cip}/pay`, { body: { duplicates: 2 } });
    expect(receiver.received).toHaveLength(3);
    const [a, b, c] = receiver.received;
    expect(b!.rawBody.equals(a!.rawBody) && c!.rawBody.equals(a!.rawBody)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.headers["pe-signature"])).size).toBe(1);
  });

  it("pays a different amount, late, with notify off, and re-sends on request", async () => {
    const cip = await createCip(token, cipBody({ dateExpiry: "2025-06-02T10:30:00-05:00" }));
    clock.advance(3600);
    const res = await send("POST", `${base}/cips/${cip}/pay`, {
      body: { amount: "149.90", notify: false, paidAt: "2025-06-02T16:05:00Z", undocumentedFields: true },
    });
    expect(res.json).toMatchObject({ status: "paid", paidAmount: "149.90", datePayment: "2025-06-02T16:05:00.000Z", notifications: [] });
    expect(receiver.received).toHaveLength(0);
    await send("POST", `${base}/cips/${cip}/notify`);
    expect(receiver.received[0]!.rawBody.toString()).toContain(
      '"amount":149.90,"paymentDate":"2025-06-02T11:05:00-05:00","transactionCode":"order-1001"}}',
    );
  });

  it("expires a CIP on request without notifying", async () => {
    const cip = await createCip(token);
    const res = await send("POST", `${base}/cips/${cip}/expire`);
    expect(res.json).toMatchObject({ status: "expired", statusCode: 21 });
    const search = await send("POST", `${base}/v1/cips/search`, { body: { data: [{ cip }] }, headers: bearer(token) });
    expect(search.json.data[0].status).toBe(21);
    expect(receiver.received).toHaveLength(0);
    expect((await send("POST", `${base}/cips/${cip}/notify`)).status).toBe(409);
  });
});

describe("fault injection", () => {
  let token: string;
  beforeEach(async () => {
    token = await getToken(base, SERVICE, clock);
  });

  it("drops the next notification delivery and records it", async () => {
    await send("POST", `${base}/faults`, { body: { kind: "drop_notification", count: 1 } });
    const dropped = await createCip(token);
    const res = await send("POST", `${base}/cips/${dropped}/pay`);
    await h.emulator.whenIdle();
    expect(receiver.received).toHaveLength(0);
    expect(res.json.notifications).toEqual([expect.objectContaining({ httpStatus: null, error: expect.stringContaining("dropped") })]);
    const delivered = await createCip(token);
    await send("POST", `${base}/cips/${delivered}/pay`);
    expect(receiver.received).toHaveLength(1);
  });

  it("answers the next matching calls with a 5xx, then recovers", async () => {
    const added = await send("POST", `${base}/faults`, { body: { kind: "error5xx", count: 1, status: 503, paths: ["cips"] } });
    expect(added.status).toBe(201);
    expect((await send("GET", `${base}/faults`)).json.faults).toHaveLength(1);
    expect((await getToken(base, SERVICE, clock)).length).toBeGreaterThan(100);
    const failed = await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: bearer(token) });
    expect(failed.status).toBe(503);
    expect(failed.json.code).toBe("166");
    expect((await send("POST", `${base}/v1/cips`, { body: cipBody(), headers: bearer(token) })).status).toBe(201);
    expect((await send("GET", `${base}/faults`)).json.faults).toEqual([]);
  });

  it("applies a CIP creation and then fails its answer (apply: true), so the CIP exists although the client saw a 5xx", async () => {
    await send("POST", `${base}/faults`, { body: { kind: "error5xx", count: 1, status: 502, paths: ["cips"], apply: true } });
    const failed = await send("POST", `${base}/v1/cips`, { body: cipBody({ transactionCode: "applied-then-failed" }), headers: bearer(token) });
    expect(failed.status).toBe(502);
    const listed = await send("GET", `${base}/cips?transactionCode=applied-then-failed`);
    expect(listed.json.cips).toHaveLength(1);
    expect(listed.json.cips[0]).toMatchObject({ status: "pending", amount: "150.00" });
  });

  it("applies and then holds (timeout) or resets the connection (reset)", async () => {
    await send("POST", `${base}/faults`, { body: { kind: "timeout", count: 1, paths: ["cips"], apply: true } });
    await expect(
      send("POST", `${base}/v1/cips`, { body: cipBody({ transactionCode: "applied-then-held" }), headers: bearer(token), signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect((await send("GET", `${base}/cips?transactionCode=applied-then-held`)).json.cips).toHaveLength(1);

    await send("POST", `${base}/faults`, { body: { kind: "reset", count: 1, paths: ["cips"] } });
    await expect(send("POST", `${base}/v1/cips`, { body: cipBody({ transactionCode: "reset-unapplied" }), headers: bearer(token) })).rejects.toThrow();
    expect((await send("GET", `${base}/cips?transactionCode=reset-unapplied`)).json.cips).toHaveLength(0);

    await send("POST", `${base}/faults`, { body: { kind: "reset", count: 1, paths: ["authorizations"], apply: true } });
    await expect(getToken(base, SERVICE, clock)).rejects.toThrow();
    expect((await getToken(base, SERVICE, clock)).length).toBeGreaterThan(100);
  });

  it("lists the rules it enforces without a source", async () => {
    const res = await send("GET", `${base}/guesses`);
    expect(res.json.guesses.map((g: { id: string }) => g.id)).toEqual(expect.arrayContaining(["G-DATE-REQUEST-WINDOW", "G-SERVICE-ID"]));
  });

  it("adds latency to the next matching calls", async () => {
    await send("POST", `${base}/faults`, { body: { kind: "latency", count: 1, latencyMs: 300, paths: ["search"] } });
    const t0 = performance.now();
    const res = await send("POST", `${base}/v1/cips/search`, { body: { data: [{ cip: 1 }] }, headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it("holds a request open until the client gives up", async () => {
    await send("POST", `${base}/faults`, { body: { kind: "timeout", count: 1, paths: ["authorizations"] } });
    await expect(
      send("POST", `${base}/v1/authorizations`, { body: {}, signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect((await getToken(base, SERVICE, clock)).length).toBeGreaterThan(100);
  });

  it("validates fault requests and clears them", async () => {
    const bad = await send("POST", `${base}/faults`, { body: { kind: "explode", count: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain("kind");
    await send("POST", `${base}/faults`, { body: { kind: "latency", count: 5 } });
    expect((await send("DELETE", `${base}/faults`)).status).toBe(200);
    expect((await send("GET", `${base}/faults`)).json.faults).toEqual([]);
  });
});

describe("control API", () => {
  it("answers 404 for unknown CIPs and 400 for malformed JSON", async () => {
    const missing = await send("GET", `${base}/cips/12345`);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toContain("12345");
    const token = await getToken(base, SERVICE, clock);
    const cip = await createCip(token);
    const malformed = await send("POST", `${base}/cips/${cip}/pay`, { body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatch(/Malformed JSON/);
    const typo = await send("POST", `${base}/cips/${cip}/pay`, { body: { duplicate: 1 } });
    expect(typo.status).toBe(400);
  });

  it("lists services without secrets and registers one with PUT", async () => {
    const put = await send("PUT", `${base}/services/77`, {
      body: { accessKey: "AK77", secretKey: "sk77", notificationUrl: "http://127.0.0.1:1/n" },
    });
    expect(put.status).toBe(200);
    const list = await send("GET", `${base}/services`);
    expect(list.json.services.map((s: { idService: number }) => s.idService)).toEqual([77, SERVICE.idService, OTHER.idService, 20329]);
    expect(list.text).not.toContain("sk77");
    expect(list.text).not.toContain(SERVICE.secretKey);
    const clash = await send("PUT", `${base}/services/78`, { body: { accessKey: "AK77", secretKey: "x", notificationUrl: null } });
    expect(clash.status).toBe(409);
    const badUrl = await send("PUT", `${base}/services/79`, { body: { accessKey: "AK79", secretKey: "x", notificationUrl: "ftp://x" } });
    expect(badUrl.status).toBe(400);
  });
});

describe("persistence", () => {
  it("keeps services, CIPs, counters and the token key across a restart", async () => {
    const dir = await makeTempDataDir();
    const restartClock = new FixedClock(START);
    try {
      const first = await startEmulator({ dataDir: dir, clock: restartClock });
      await first.emulator.registerService({ ...SERVICE, notificationUrl: null });
      const token = await getToken(first.baseUrl, SERVICE, restartClock);
      const cip = await createCipAt(first.baseUrl, token);
      await send("POST", `${first.baseUrl}/cips/${cip}/pay`);
      await first.stop();

      const db = new Database(path.join(dir, "sandbox", "pagoefectivo.sqlite"), { readonly: true });
      expect(db.prepare("SELECT COUNT(*) AS n FROM cips").get()).toEqual({ n: 1 });
      expect(db.prepare("SELECT COUNT(*) AS n FROM payments").get()).toEqual({ n: 1 });
      db.close();
      expect((await stat(path.join(dir, "sandbox", "pagoefectivo.sqlite"))).mode & 0o077).toBe(0);

      const second = await startEmulator({ dataDir: dir, clock: restartClock });
      try {
        const view = await send("GET", `${second.baseUrl}/cips/${cip}`);
        expect(view.json).toMatchObject({ status: "paid", amount: "150.00" });
        // The same token still works, and numbering continues.
        const next = await createCipAt(second.baseUrl, token);
        expect(next).toBe(cip + 1);
      } finally {
        await second.stop();
      }
    } finally {
      await removeDir(dir);
    }
  });
});

describe("upgrade from the JSON state file", () => {
  it("imports services, CIPs, payments and the token key once, then renames the file", async () => {
    const dir = await makeTempDataDir();
    try {
      await mkdir(path.join(dir, "sandbox"), { recursive: true });
      const legacy = {
        version: 1,
        jwtKey: Buffer.alloc(32, 7).toString("base64"),
        nextCip: 2523139,
        nextOperationNumber: 1000002,
        services: [{ ...SERVICE, notificationUrl: null, codeService: "SRV", maxAmountMinor: 38_500_000 }],
        cips: [
          {
            cip: "2523138",
            idService: SERVICE.idService,
            guid: "AB803C1C-0000-4000-8000-000000000001",
            currency: "PEN",
            amountMinor: 15000,
            transactionCode: "old-1",
            createdAt: START.toISOString(),
            dateExpiry: "2030-01-01T05:00:00.000Z",
            deletedAt: null,
            details: { origin: "web" },
            payments: [{ operationNumber: "1000001", paidAt: START.toISOString(), amountMinor: 15000, channel: "agente", notificationBody: "{}" }],
            notifications: [],
          },
        ],
      };
      const file = path.join(dir, "sandbox", "pagoefectivo-state.json");
      await writeFile(file, JSON.stringify(legacy));
      const upgraded = await startEmulator({ dataDir: dir, clock: new FixedClock(START) });
      try {
        expect((await send("GET", `${upgraded.baseUrl}/cips/2523138`)).json).toMatchObject({ status: "paid", channel: "agente" });
        const token = await getToken(upgraded.baseUrl, SERVICE, new FixedClock(START));
        expect(await createCipAt(upgraded.baseUrl, token)).toBe(2523139);
        await expect(stat(`${file}.imported`)).resolves.toBeTruthy();
        await expect(stat(file)).rejects.toThrow();
      } finally {
        await upgraded.stop();
      }
    } finally {
      await removeDir(dir);
    }
  });
});

async function createCipAt(baseUrl: string, token: string): Promise<number> {
  const res = await send("POST", `${baseUrl}/v1/cips`, { body: cipBody(), headers: bearer(token) });
  expect(res.status, res.text).toBe(201);
  return res.json.data.cip as number;
}
