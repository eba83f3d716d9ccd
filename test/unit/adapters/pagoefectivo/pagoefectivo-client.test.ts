import { Writable } from "node:stream";

import { beforeEach, describe, expect, it } from "vitest";

import { PAGOEFECTIVO_BASE_URLS } from "../../../../app/adapters/pagoefectivo/pagoefectivo-base-urls";
import { cipStatusFromCode } from "../../../../app/adapters/pagoefectivo/pagoefectivo-cip-number";
import { PagoEfectivoClient } from "../../../../app/adapters/pagoefectivo/pagoefectivo-client";
import { computeHashString } from "../../../../app/adapters/pagoefectivo/pagoefectivo-hash";
import { FixedClock } from "../../../../app/lib/clock";
import { createLogger, silentLogger } from "../../../../app/lib/logger";
import type { CreateCipRequest, PagoEfectivoCredentials } from "../../../../app/ports/pagoefectivo-gateway";
import {
  authorizationReply,
  createFakeFetch,
  type FakeHandler,
  fixtureText,
  jsonResponse,
  networkFailure,
  type RecordedRequest,
} from "./fake-fetch";

const BASE = PAGOEFECTIVO_BASE_URLS.preproduction;
const creds: PagoEfectivoCredentials = {
  accessKey: "ACCESSKEY0123456789X",
  secretKey: "very-secret-key",
  idService: 1234,
  baseUrl: BASE,
};

const cipRequest: CreateCipRequest = {
  amount: { amountMinor: 15000, currency: "PEN" },
  transactionCode: "session-0001",
  dateExpiry: new Date("2026-11-28T15:00:00.000Z"),
  userEmail: "comprador@example.pe",
  userPhone: "987654321",
  userCodeCountry: "+51",
};

const createdReply = () =>
  jsonResponse(201, {
    code: 100,
    message: "Solicitud exitosa.",
    data: {
      cip: 2523136,
      currency: "PEN",
      amount: 150,
      transactionCode: "session-0001",
      dateExpiry: "2026-11-28T10:00:00-05:00",
      cipUrl: "https://pre1a.payment.pagoefectivo.pe/AB803C1C.html",
    },
  });

let clock: FixedClock;
let tokenCount: number;

beforeEach(() => {
  clock = new FixedClock(new Date("2026-11-27T15:00:00.000Z"));
  tokenCount = 0;
});

/** Answers /v1/authorizations with token-1, token-2, ... and delegates every other path to `cips`. */
function server(cips: FakeHandler, options: { authDelayMs?: number } = {}) {
  return createFakeFetch(async (request, index) => {
    if (request.path === "/v1/authorizations") {
      if (options.authDelayMs) await new Promise((resolve) => setTimeout(resolve, options.authDelayMs));
      tokenCount += 1;
      return authorizationReply(clock, `token-${tokenCount}`);
    }
    return cips(request, index);
  });
}

function client(fake: { fetch: typeof fetch }, timeoutMs?: number) {
  return new PagoEfectivoClient({
    fetch: fake.fetch,
    clock,
    logger: silentLogger,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}

const bearer = (request: RecordedRequest | undefined) => request?.headers.authorization;

describe("authorize", () => {
  it("posts accessKey, idService (a number), the Lima dateRequest and the hash of that exact string", async () => {
    const fake = server(() => jsonResponse(500, {}));
    const result = await client(fake).authorize(creds);

    expect(result).toStrictEqual({
      ok: true,
      value: {
        codeService: "SRV",
        tokenStart: new Date("2026-11-27T15:00:00.000Z"),
        tokenExpires: new Date("2026-11-27T17:00:00.000Z"),
      },
    });
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(`${BASE}/v1/authorizations`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.authorization).toBeUndefined();
    const body = JSON.parse(request?.body ?? "") as Record<string, unknown>;
    expect(body).toStrictEqual({
      accessKey: creds.accessKey,
      idService: 1234,
      dateRequest: "2026-11-27T10:00:00-05:00",
      hashString: computeHashString({ ...creds, dateRequest: "2026-11-27T10:00:00-05:00" }),
    });
  });

  it("parses DOC's documented authorization response", async () => {
    const fake = createFakeFetch(() => jsonResponse(201, fixtureText("authorization-201.json")));
    const result = await client(fake).authorize(creds);
    expect(result).toStrictEqual({
      ok: true,
      value: {
        codeService: "SRV",
        tokenStart: new Date("2019-12-09T21:15:19.000Z"),
        tokenExpires: new Date("2019-12-09T23:15:19.000Z"),
      },
    });
  });

  it("always signs in again, even with a valid cached token", async () => {
    const fake = server(() => jsonResponse(500, {}));
    const pe = client(fake);
    await pe.authorize(creds);
    await pe.authorize(creds);
    expect(fake.to("/v1/authorizations")).toHaveLength(2);
  });

  it("strips a trailing slash from baseUrl", async () => {
    const fake = server(() => jsonResponse(500, {}));
    await client(fake).authorize({ ...creds, baseUrl: `${BASE}/` });
    expect(fake.requests[0]?.url).toBe(`${BASE}/v1/authorizations`);
  });

  it.each([
    [400, { code: "111", message: "Solicitud con datos inválidos." }, "service_error", false],
    [401, { code: "401", message: "No autorizado" }, "service_error", false],
    [403, "", "service_error", false],
    [500, { code: "166", message: "Error interno" }, "server_error", true],
    [503, "", "server_error", true],
  ] as const)("maps HTTP %d from /authorizations to %s", async (status, body, kind, retryable) => {
    const fake = createFakeFetch(() => jsonResponse(status, body));
    const result = await client(fake).authorize(creds);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind, retryable, httpStatus: status });
    expect(result.error.message).not.toContain(creds.secretKey);
  });

  it.each([
    [400, { code: "111", message: "Solicitud con datos inválidos.", data: [{ code: "113", message: "Valor inválido.", field: "dateRequest" }] }, "clock_skew", /clock/],
    [400, { code: "111", message: "Solicitud con datos inválidos.", data: [{ code: "113", message: "Valor inválido.", field: "idService" }] }, "invalid_request", /idService/],
    [401, { code: "401", message: "Credenciales inválidas." }, "credentials", /rejected the credentials/],
    [403, "", "forbidden", /refused access/],
  ] as const)("says why a sign-in with HTTP %d was refused (%s)", async (status, body, refusal, message) => {
    const fake = createFakeFetch(() => jsonResponse(status, body));
    const result = await client(fake).authorize(creds);
    if (result.ok) throw new Error("expected a refusal");
    expect(result.error.signInRefusal).toBe(refusal);
    expect(result.error.message).toMatch(message);
  });

  it("reports an unreadable 201 as invalid_response", async () => {
    const fake = createFakeFetch(() => jsonResponse(201, { code: "100", data: { token: "" } }));
    const result = await client(fake).authorize(creds);
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_response", httpStatus: 201 } });
  });

  it("refuses bad credentials without sending anything", async () => {
    const fake = server(() => jsonResponse(500, {}));
    const result = await client(fake).authorize({ ...creds, idService: 0, baseUrl: "ftp://x", accessKey: "" });
    expect(result.ok).toBe(false);
    if (result.ok || result.error.kind !== "invalid_data") throw new Error("expected invalid_data");
    expect(result.error.fields.map((field) => field.field)).toStrictEqual(["accessKey", "idService", "baseUrl"]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("createCip", () => {
  it("posts the CIP with the bearer token, Origin and Accept-Language, and amount as 150.00", async () => {
    const fake = server(() => createdReply());
    const result = await client(fake).createCip(creds, cipRequest);

    expect(result).toStrictEqual({
      ok: true,
      value: {
        cip: "2523136",
        cipUrl: "https://pre1a.payment.pagoefectivo.pe/AB803C1C.html",
        amount: { amountMinor: 15000, currency: "PEN" },
        transactionCode: "session-0001",
        dateExpiry: new Date("2026-11-28T15:00:00.000Z"),
      },
    });
    const [post] = fake.to("/v1/cips");
    expect(post?.method).toBe("POST");
    expect(post?.url).toBe(`${BASE}/v1/cips`);
    expect(post?.headers).toMatchObject({
      authorization: "Bearer token-1",
      origin: "web",
      "accept-language": "es-PE",
      "content-type": "application/json",
    });
    expect(post?.body).toContain('"amount":150.00');
    expect(post?.body).toContain('"dateExpiry":"2026-11-28T10:00:00-05:00"');
    expect(JSON.parse(post?.body ?? "")).toMatchObject({ currency: "PEN", amount: 150, serviceId: 1234 });
  });

  it("parses DOC's documented CIP response (cip as a number, amount 1 unformatted)", async () => {
    const fake = server(() => jsonResponse(201, fixtureText("create-cip-201.json")));
    const result = await client(fake).createCip(creds, { ...cipRequest, amount: { amountMinor: 100, currency: "PEN" } });
    expect(result).toMatchObject({
      ok: true,
      value: {
        cip: "2523136",
        amount: { amountMinor: 100, currency: "PEN" },
        transactionCode: "101",
        dateExpiry: new Date("2021-01-01T04:59:59.000Z"),
      },
    });
  });

  it("uses what it sent when the response leaves out transactionCode and dateExpiry", async () => {
    const fake = server(() =>
      jsonResponse(201, {
        code: "100",
        data: { cip: "77", currency: "PEN", amount: "150.00", cipUrl: "http://127.0.0.1:4010/cip/77.html" },
      }),
    );
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result).toMatchObject({
      ok: true,
      value: { cip: "77", transactionCode: "session-0001", dateExpiry: cipRequest.dateExpiry },
    });
  });

  it("refuses invalid fields before signing in or sending", async () => {
    const fake = server(() => createdReply());
    const result = await client(fake).createCip(creds, { ...cipRequest, transactionCode: "x".repeat(37) });
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_data", retryable: false } });
    expect(fake.requests).toHaveLength(0);
  });

  it("reports a 201 it cannot read as invalid_response and does not resend", async () => {
    const fake = server(() => jsonResponse(201, { code: 100, data: { cip: "abc" } }));
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_response", retryable: false } });
    expect(fake.to("/v1/cips")).toHaveLength(1);
  });
});

describe("token cache", () => {
  it("signs in once for 50 concurrent createCip calls", async () => {
    const fake = server(() => createdReply(), { authDelayMs: 20 });
    const pe = client(fake);
    const results = await Promise.all(Array.from({ length: 50 }, () => pe.createCip(creds, cipRequest)));

    expect(results.every((result) => result.ok)).toBe(true);
    expect(fake.to("/v1/authorizations")).toHaveLength(1);
    expect(fake.to("/v1/cips")).toHaveLength(50);
    expect(new Set(fake.to("/v1/cips").map(bearer))).toStrictEqual(new Set(["Bearer token-1"]));
  });

  it("reuses the token until fewer than 5 minutes remain, then signs in again", async () => {
    const fake = server(() => createdReply());
    const pe = client(fake);
    await pe.createCip(creds, cipRequest);

    clock.advance(2 * 60 * 60 - 5 * 60); // exactly 5 minutes left: still good
    await pe.createCip(creds, cipRequest);
    expect(fake.to("/v1/authorizations")).toHaveLength(1);

    clock.advance(1); // 4:59 left: renew first
    await pe.createCip(creds, cipRequest);
    expect(fake.to("/v1/authorizations")).toHaveLength(2);
    expect(fake.to("/v1/cips").map(bearer)).toStrictEqual(["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
  });

  it("counts the lifetime on our clock, so a skewed PagoEfectivo clock does not force a sign-in per call", async () => {
    const fake = createFakeFetch((request) => {
      if (request.path !== "/v1/authorizations") return createdReply();
      tokenCount += 1;
      // PagoEfectivo's clock is 3 hours behind ours: its tokenExpires is already in our past.
      return jsonResponse(201, {
        code: "100",
        data: {
          token: `token-${tokenCount}`,
          tokenStart: "2026-11-27T07:00:00-05:00",
          tokenExpires: "2026-11-27T09:00:00-05:00",
        },
      });
    });
    const pe = client(fake);
    await pe.createCip(creds, cipRequest);
    clock.advance(60 * 60);
    await pe.createCip(creds, cipRequest);
    expect(fake.to("/v1/authorizations")).toHaveLength(1);
  });

  it("keeps one token per service, keyed without the secret", async () => {
    const fake = server(() => createdReply());
    const pe = client(fake);
    await pe.createCip(creds, cipRequest);
    await pe.createCip({ ...creds, idService: 999 }, cipRequest);
    await pe.createCip({ ...creds, baseUrl: PAGOEFECTIVO_BASE_URLS.production }, cipRequest);
    await pe.createCip(creds, cipRequest);
    expect(fake.to("/v1/authorizations")).toHaveLength(3);
  });

  it("shares a failed sign-in with everyone waiting, and tries again on the next call", async () => {
    let fail = true;
    const fake = createFakeFetch(async (request) => {
      if (request.path !== "/v1/authorizations") return createdReply();
      await new Promise((resolve) => setTimeout(resolve, 10));
      tokenCount += 1;
      return fail ? jsonResponse(400, { code: "111", message: "x" }) : authorizationReply(clock, "token-ok");
    });
    const pe = client(fake);
    const results = await Promise.all(Array.from({ length: 5 }, () => pe.createCip(creds, cipRequest)));
    expect(results.map((result) => !result.ok && result.error.kind)).toStrictEqual(Array(5).fill("service_error"));
    expect(fake.to("/v1/authorizations")).toHaveLength(1);
    expect(fake.to("/v1/cips")).toHaveLength(0);

    fail = false;
    expect((await pe.createCip(creds, cipRequest)).ok).toBe(true);
    expect(fake.to("/v1/authorizations")).toHaveLength(2);
  });

  it("on a 401 drops the token, signs in again and resends once", async () => {
    const fake = server((_request, index) => (index === 1 ? jsonResponse(401, { message: "token expired" }) : createdReply()));
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result.ok).toBe(true);
    expect(fake.requests.map((request) => `${request.path} ${bearer(request) ?? ""}`.trim())).toStrictEqual([
      "/v1/authorizations",
      "/v1/cips Bearer token-1",
      "/v1/authorizations",
      "/v1/cips Bearer token-2",
    ]);
  });

  it("gives up after a second 401 with service_error", async () => {
    const fake = server(() => jsonResponse(401, ""));
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result).toMatchObject({ ok: false, error: { kind: "service_error", httpStatus: 401, retryable: false } });
    expect(fake.to("/v1/cips")).toHaveLength(2);
    expect(fake.to("/v1/authorizations")).toHaveLength(2);
  });
});

describe("error mapping for /v1/cips", () => {
  const invalid = (code: string, field: string, message: string) => ({
    code: "111",
    message: "Solicitud con datos inválidos.",
    data: [{ code, message, field }],
  });

  it.each([
    [400, invalid("112", "amount", "Requerido."), "invalid_data", "111", false],
    [400, { code: "112", message: "Requerido.", data: [] }, "invalid_data", "112", false],
    [400, { code: 113, message: "Valor inválido." }, "invalid_data", "113", false],
    [400, { code: "508", message: "Servicio inválido." }, "service_error", "508", false],
    [401, { code: "401" }, "service_error", "401", false],
    [403, { message: "Forbidden" }, "service_error", undefined, false],
    [400, { code: "511", message: "Monto excede." }, "amount_over_limit", "511", false],
    [500, { code: "166", message: "Error interno." }, "server_error", "166", true],
    [500, "<html>oops</html>", "server_error", undefined, true],
    [503, "", "server_error", undefined, true],
    [429, "", "server_error", undefined, true],
    [404, "", "server_error", undefined, false],
    [405, "", "server_error", undefined, false],
    [502, "", "ambiguous", undefined, false],
    [504, "", "ambiguous", undefined, false],
  ] as const)("HTTP %d %j -> %s", async (status, body, kind, code, retryable) => {
    const fake = server(() => jsonResponse(status, body));
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe(kind);
    expect(result.error.code).toBe(code);
    expect(result.error.httpStatus).toBe(status);
    expect(result.error.retryable).toBe(retryable);
    expect(result.error.message.length).toBeGreaterThan(10);
    // Never resent on its own, except the one documented retry after a 401.
    expect(fake.to("/v1/cips")).toHaveLength(status === 401 ? 2 : 1);
  });

  it("keeps the field list of DOC's documented 111 error", async () => {
    const fake = server(() => jsonResponse(400, fixtureText("error-111-invalid-data.json")));
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result).toStrictEqual({
      ok: false,
      error: {
        kind: "invalid_data",
        httpStatus: 400,
        code: "111",
        vendorMessage: "Solicitud con datos inválidos.",
        fields: [{ code: "112", message: "Requerido.", field: "amount" }],
        message: "PagoEfectivo cannot accept the payment details (amount: Requerido.).",
        retryable: false,
      },
    });
  });
});

describe("timeouts and network failures", () => {
  it("createCip: a timeout after sending is ambiguous and is never resent", async () => {
    const fake = server(() => ({ hang: true }));
    const result = await client(fake, 30).createCip(creds, cipRequest);
    expect(result).toMatchObject({ ok: false, error: { kind: "ambiguous", retryable: false } });
    expect(fake.to("/v1/cips")).toHaveLength(1);
  });

  it("createCip: a connection reset after sending is ambiguous", async () => {
    const fake = server(() => networkFailure("ECONNRESET"));
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result).toMatchObject({ ok: false, error: { kind: "ambiguous", retryable: false } });
    expect(fake.to("/v1/cips")).toHaveLength(1);
  });

  it("createCip: a body cut off after the status line is ambiguous", async () => {
    const fake = server(() => {
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"code":100,'));
          controller.error(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
        },
      });
      return new Response(stream, { status: 201 });
    });
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result).toMatchObject({ ok: false, error: { kind: "ambiguous" } });
  });

  it("createCip: a refused connection never reached PagoEfectivo, so it is a retryable network error", async () => {
    const fake = server(() => networkFailure("ECONNREFUSED"));
    const result = await client(fake).createCip(creds, cipRequest);
    expect(result).toMatchObject({ ok: false, error: { kind: "network", retryable: true } });
  });

  it("createCip: a sign-in timeout is a plain timeout (no CIP request was sent)", async () => {
    const fake = createFakeFetch(() => ({ hang: true }));
    const result = await client(fake, 30).createCip(creds, cipRequest);
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout", retryable: true } });
    expect(fake.to("/v1/cips")).toHaveLength(0);
  });

  it("other operations report timeout and network as retryable", async () => {
    const hanging = server(() => ({ hang: true }));
    const pe = client(hanging, 30);
    expect(await pe.searchCips(creds, ["1"])).toMatchObject({ ok: false, error: { kind: "timeout", retryable: true } });
    expect(await pe.deleteCip(creds, "1")).toMatchObject({ ok: false, error: { kind: "timeout", retryable: true } });
    expect(await pe.updateCipExpiry(creds, "1", new Date("2026-12-01T00:00:00Z"))).toMatchObject({
      ok: false,
      error: { kind: "timeout", retryable: true },
    });

    const resetting = server(() => networkFailure("ECONNRESET"));
    expect(await client(resetting).searchCips(creds, ["1"])).toMatchObject({
      ok: false,
      error: { kind: "network", retryable: true },
    });
    const unreachable = createFakeFetch(() => networkFailure("ENOTFOUND"));
    expect(await client(unreachable).authorize(creds)).toMatchObject({
      ok: false,
      error: { kind: "network", retryable: true },
    });
  });
});

describe("searchCips", () => {
  const searchItem = (cip: number, status: number) => ({
    cip,
    transactionCode: `t-${cip}`,
    amount: 10.5,
    currency: "USD",
    status,
    statusName: "x",
    dateCreation: "2026-11-27T10:00:00-05:00",
    dateExpiry: "2026-11-28T10:00:00-05:00",
    datePayment: "1900-01-01T00:00:00-05:00",
    dateRemoval: "1900-01-01T00:00:00-05:00",
  });

  it("sends at most 10 CIPs per request, as JSON numbers, and joins the answers", async () => {
    const fake = server((request) => {
      const body = JSON.parse(request.body ?? "") as { data: { cip: number }[] };
      return jsonResponse(200, { code: 100, data: body.data.map(({ cip }) => searchItem(cip, 22)) });
    });
    const cips = Array.from({ length: 23 }, (_, index) => String(1000 + index));
    const result = await client(fake).searchCips(creds, cips);

    const searches = fake.to("/v1/cips/search");
    expect(searches.map((request) => (JSON.parse(request.body ?? "") as { data: unknown[] }).data.length)).toStrictEqual([
      10, 10, 3,
    ]);
    expect(searches[0]?.body).toBe(
      `{"data":[${cips
        .slice(0, 10)
        .map((cip) => `{"cip":${cip}}`)
        .join(",")}]}`,
    );
    expect(searches.every((request) => request.method === "POST" && bearer(request) === "Bearer token-1")).toBe(true);
    expect(fake.to("/v1/authorizations")).toHaveLength(1);
    expect(result.ok && result.value.map((item) => item.cip)).toStrictEqual(cips);
  });

  it("parses the documented search response: statuses, dates and the 1900 null sentinel", async () => {
    const fake = server(() => jsonResponse(200, fixtureText("search-200.json")));
    const result = await client(fake).searchCips(creds, ["2495383"]);
    expect(result).toStrictEqual({
      ok: true,
      value: [
        {
          cip: "2495383",
          status: "paid",
          statusCode: 23,
          statusName: "Pagado",
          amount: { amountMinor: 2205, currency: "PEN" },
          transactionCode: "101",
          dateCreation: new Date("2020-06-18T15:00:00.000Z"),
          dateExpiry: new Date("2020-06-19T15:00:00.000Z"),
          datePayment: new Date("2020-06-19T04:28:45.122Z"),
          dateRemoval: null,
        },
      ],
    });
  });

  it("maps 22/23/21/25 and keeps unknown codes", async () => {
    expect([22, 23, 21, 25, 24].map(cipStatusFromCode)).toStrictEqual(["pending", "paid", "expired", "deleted", "unknown"]);
    const fake = server(() => jsonResponse(200, { code: "100", data: [searchItem(5, 99), { ...searchItem(6, 21), status: "21" }] }));
    const result = await client(fake).searchCips(creds, ["5", "6"]);
    expect(result.ok && result.value.map(({ status, statusCode }) => [status, statusCode])).toStrictEqual([
      ["unknown", 99],
      ["expired", 21],
    ]);
  });

  it("sends nothing for an empty list, removes duplicates and leading zeros", async () => {
    const fake = server(() => jsonResponse(200, { code: 100, data: [] }));
    const pe = client(fake);
    expect(await pe.searchCips(creds, [])).toStrictEqual({ ok: true, value: [] });
    expect(fake.requests).toHaveLength(0);

    expect(await pe.searchCips(creds, ["12", " 12 ", "012"])).toStrictEqual({ ok: true, value: [] });
    expect(fake.to("/v1/cips/search")[0]?.body).toBe('{"data":[{"cip":12}]}');
  });

  it("accepts a response with no data as no matches", async () => {
    const fake = server(() => jsonResponse(200, { code: 100, message: "ok" }));
    expect(await client(fake).searchCips(creds, ["1"])).toStrictEqual({ ok: true, value: [] });
  });

  it("refuses non-numeric CIPs without sending", async () => {
    const fake = server(() => jsonResponse(200, { code: 100, data: [] }));
    const result = await client(fake).searchCips(creds, ["1", "12a"]);
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_data" } });
    expect(fake.requests).toHaveLength(0);
  });

  it("reports a response that breaks the schema as invalid_response", async () => {
    const fake = server(() => jsonResponse(200, { code: 100, data: [{ cip: 1, status: 22 }] }));
    expect(await client(fake).searchCips(creds, ["1"])).toMatchObject({
      ok: false,
      error: { kind: "invalid_response", httpStatus: 200 },
    });
  });

  it("stops at the first failing group", async () => {
    const fake = server((_request, index) =>
      index === 1 ? jsonResponse(200, { code: 100, data: [] }) : jsonResponse(500, { code: "166" }),
    );
    const cips = Array.from({ length: 25 }, (_, index) => String(index + 1));
    const result = await client(fake).searchCips(creds, cips);
    expect(result).toMatchObject({ ok: false, error: { kind: "server_error", code: "166" } });
    expect(fake.to("/v1/cips/search")).toHaveLength(2);
  });
});

describe("updateCipExpiry and deleteCip", () => {
  it("PATCHes /v1/cips/{cip} with the new expiry in Lima time", async () => {
    const fake = server(() => jsonResponse(200, { code: 100, message: "Solicitud exitosa." }));
    const newExpiry = new Date("2026-11-30T04:59:59.000Z");
    const result = await client(fake).updateCipExpiry(creds, "2523136", newExpiry);
    expect(result).toStrictEqual({ ok: true, value: { cip: "2523136", dateExpiry: newExpiry } });
    const [patch] = fake.to("/v1/cips/2523136");
    expect(patch?.method).toBe("PATCH");
    expect(patch?.body).toBe('{"dateExpiry":"2026-11-29T23:59:59-05:00"}');
    expect(bearer(patch)).toBe("Bearer token-1");
  });

  it("returns the expiry PagoEfectivo echoes back, if any", async () => {
    const fake = server(() => jsonResponse(200, { code: 100, data: { dateExpiry: "2026-11-29T23:59:00-05:00" } }));
    const result = await client(fake).updateCipExpiry(creds, "1", new Date("2026-11-30T04:59:59.000Z"));
    expect(result).toMatchObject({ ok: true, value: { dateExpiry: new Date("2026-11-30T04:59:00.000Z") } });
  });

  it("refuses an expiry in the past and an invalid CIP without sending", async () => {
    const fake = server(() => jsonResponse(200, {}));
    const pe = client(fake);
    expect(await pe.updateCipExpiry(creds, "1", new Date("2026-11-27T14:00:00Z"))).toMatchObject({
      ok: false,
      error: { kind: "invalid_data", fields: [{ field: "dateExpiry" }] },
    });
    expect(await pe.deleteCip(creds, "../x")).toMatchObject({ ok: false, error: { kind: "invalid_data" } });
    expect(fake.requests).toHaveLength(0);
  });

  it("DELETEs /v1/cips/{cip} without a body and accepts an empty answer", async () => {
    const fake = server(() => new Response(null, { status: 204 }));
    const result = await client(fake).deleteCip(creds, "2523136");
    expect(result).toStrictEqual({ ok: true, value: { cip: "2523136" } });
    const [deletion] = fake.to("/v1/cips/2523136");
    expect(deletion?.method).toBe("DELETE");
    expect(deletion?.body).toBeUndefined();
    expect(deletion?.headers["content-type"]).toBeUndefined();
  });

  it("maps errors of PATCH and DELETE like any /v1/cips call", async () => {
    const fake = server(() => jsonResponse(404, ""));
    expect(await client(fake).deleteCip(creds, "1")).toMatchObject({
      ok: false,
      error: { kind: "server_error", httpStatus: 404, retryable: false },
    });
  });
});

describe("logging", () => {
  it("logs method, path, status and duration, never the token, secretKey or hashString", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const logger = createLogger({ level: "debug", destination });
    const fake = server((request) =>
      request.path === "/v1/cips" ? createdReply() : jsonResponse(200, { code: 100, data: [] }),
    );
    const pe = new PagoEfectivoClient({ fetch: fake.fetch, clock, logger });
    await pe.createCip(creds, cipRequest);
    await pe.searchCips(creds, ["1"]);
    await new Promise((resolve) => setImmediate(resolve));

    const output = lines.join("");
    const entries = lines.map((line) => JSON.parse(line) as { pagoefectivo?: Record<string, unknown> });
    expect(entries.map((entry) => entry.pagoefectivo && [entry.pagoefectivo.method, entry.pagoefectivo.path, entry.pagoefectivo.status])).toStrictEqual([
      ["POST", "/v1/authorizations", 201],
      ["POST", "/v1/cips", 201],
      ["POST", "/v1/cips/search", 200],
    ]);
    expect(entries.every((entry) => typeof entry.pagoefectivo?.durationMs === "number")).toBe(true);
    const hash = JSON.parse(fake.to("/v1/authorizations")[0]?.body ?? "{}").hashString as string;
    for (const secret of ["token-1", creds.secretKey, hash, cipRequest.userEmail]) {
      expect(output).not.toContain(secret);
    }
  });
});
