import { describe, expect, it } from "vitest";

import { adminRouteName } from "../../app/http/admin/route-preloads";
import { AdminClient, type ApiError } from "../../web/src/api/admin-client";
import { DEFAULT_PAYMENT_QUERY, hasPaymentFilters, parsePaymentQuery, paymentQuerySearch } from "../../web/src/api/payment-query";
import type { TimelineEntry } from "../../web/src/api/types";
import { apiErrorMessage } from "../../web/src/components/api-error-banner";
import { createDateFormat } from "../../web/src/format/dates";
import { formatMoney } from "../../web/src/format/money";
import { en } from "../../web/src/i18n/en";
import { es } from "../../web/src/i18n/es";
import { detailFacts, entryTitle, outcomeBadge, signatureCheck } from "../../web/src/pages/payment-detail/timeline-detail";
import { parseHours, parseIdService, validateCredentialValues, validateOptionValues } from "../../web/src/pages/settings/validation";
import { matchRoute } from "../../web/src/router/routes";

/** The SPA's plain logic (no DOM): what the pages rely on to format, validate and talk to the API. */

describe("money and dates as the panel shows them", () => {
  it("formats integer minor units in es-PE style without floats", () => {
    expect(formatMoney(123450, "PEN")).toBe("S/ 1,234.50");
    expect(formatMoney(15000, "USD")).toBe("US$ 150.00");
    expect(formatMoney(5, "PEN")).toBe("S/ 0.05");
    expect(formatMoney(-250, "PEN")).toBe("-S/ 2.50");
    expect(formatMoney(900719925474099, "PEN")).toBe("S/ 9,007,199,254,740.99");
    expect(formatMoney(1.5, "PEN")).toBe("PEN ?");
  });

  it("shows times in the shop's time zone, 24-hour in Spanish", () => {
    const lima = createDateFormat("es-PE", "America/Lima");
    expect(lima.dateTime("2026-11-27T23:30:00.000Z")).toMatch(/27 nov\.? 2026,? 18:30/);
    expect(lima.calendarDate("2026-11-27")).toMatch(/27 nov\.? 2026/);
    const english = createDateFormat("en-US", "America/Lima");
    expect(english.dateTime("2026-11-27T23:30:00.000Z")).toMatch(/Nov 27, 2026,? 6:30\sPM/);
    // A bad zone from the API falls back to Lima instead of breaking the page.
    expect(createDateFormat("es-PE", "Not/AZone").dateTime("2026-11-27T23:30:00.000Z")).toMatch(/18:30/);
    expect(lima.today()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("counted words", () => {
  it("says 'Primera fila' for one preview row, not 'Primeras 1 filas'", () => {
    expect(es.settlements.import.previewRows(1)).toBe("Primera fila");
    expect(es.settlements.import.previewRows(10)).toBe("Primeras 10 filas");
    expect(en.settlements.import.previewRows(1)).toBe("First row");
  });

  it("follows the app's clock for 'today', not the browser's", () => {
    const threeDaysAhead = 3 * 24 * 3600 * 1000;
    const dates = createDateFormat("es-PE", "America/Lima", threeDaysAhead);
    const expected = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Lima" }).format(new Date(Date.now() + threeDaysAhead));
    expect(dates.today()).toBe(expected);
    expect(Math.abs(Date.parse(dates.now()) - (Date.now() + threeDaysAhead))).toBeLessThan(1_000);
  });
});

describe("payments list query in the address bar", () => {
  it("round-trips every filter with the API's names and drops defaults", () => {
    const query = {
      ...DEFAULT_PAYMENT_QUERY,
      state: ["paid" as const, "pending" as const],
      from: "2026-11-01",
      to: "2026-11-27",
      currency: "USD" as const,
      test: false,
      q: " 2523137 ",
      sort: "amount" as const,
      direction: "asc" as const,
      page: 3,
    };
    const search = paymentQuerySearch(query);
    expect(search).toBe("?state=paid%2Cpending&from=2026-11-01&to=2026-11-27&currency=USD&test=false&q=2523137&sort=amount&direction=asc&page=3");
    expect(parsePaymentQuery(search)).toEqual({ ...query, q: "2523137" });
    expect(paymentQuerySearch(DEFAULT_PAYMENT_QUERY)).toBe("");
    expect(paymentQuerySearch(query, { paging: false })).not.toContain("page=");
    expect(hasPaymentFilters(query)).toBe(true);
    expect(hasPaymentFilters(DEFAULT_PAYMENT_QUERY)).toBe(false);
  });

  it("ignores values the API would refuse", () => {
    expect(parsePaymentQuery("?state=paid,bogus&from=27/11/2026&currency=EUR&test=maybe&sort=cip&direction=up&page=0&pageSize=500")).toEqual({
      ...DEFAULT_PAYMENT_QUERY,
      state: ["paid"],
    });
  });
});

describe("routes", () => {
  it("maps /admin paths to pages", () => {
    expect(matchRoute("/admin")).toEqual({ name: "home" });
    expect(matchRoute("/admin/")).toEqual({ name: "home" });
    expect(matchRoute("/admin/payments")).toEqual({ name: "payments" });
    expect(matchRoute("/admin/payments/abc%2F1")).toEqual({ name: "payment", id: "abc/1" });
    expect(matchRoute("/admin/refunds")).toEqual({ name: "refunds" });
    expect(matchRoute("/admin/settings")).toEqual({ name: "settings" });
    expect(matchRoute("/admin/reconciliation")).toEqual({ name: "reconciliation" });
    expect(matchRoute("/admin/settlements")).toEqual({ name: "settlements" });
    expect(matchRoute("/admin/nope")).toEqual({ name: "notFound" });
  });

  it("names every path as the server does for its preloads (react-router's matching, case and trailing slash)", () => {
    const samples = ["/admin", "/admin/", "/admin/settings", "/admin/Settings", "/admin/payments/ps_1/", "/admin/payments/a/b", "/admin/dead-letters", "/admin/x"];
    for (const path of samples) {
      const route = matchRoute(path);
      expect(route.name === "notFound" ? null : route.name, path).toBe(adminRouteName(path));
    }
  });
});

describe("settings validation", () => {
  it("checks credentials like the API does", () => {
    expect(validateCredentialValues({ accessKey: "", secretKey: "", idService: "0" }, false, es.settings)).toEqual({
      accessKey: es.settings.accessKeyRequired,
      secretKey: es.settings.secretRequired,
      idService: es.settings.idServiceInvalid,
    });
    expect(validateCredentialValues({ accessKey: "A".repeat(21), secretKey: "", idService: "12" }, true, es.settings)).toEqual({
      accessKey: es.settings.accessKeyTooLong,
    });
    expect(parseIdService("9999")).toBe(9999);
    // Production services have 5-digit ids although DOC says N 4.
    expect(parseIdService("20329")).toBe(20329);
    expect(parseIdService("999999999")).toBe(999999999);
    expect(parseIdService("1234567890")).toBeNull();
    expect(parseHours("72")).toBe(72);
    expect(parseHours("73")).toBeNull();
    expect(parseHours("1.5")).toBeNull();
  });

  it("checks the RUC's length, prefix and check digit", () => {
    const base = { cipLifetimeHours: "48", paymentConcept: "", legalName: "" };
    expect(validateOptionValues({ ...base, ruc: "" }, es.settings)).toEqual({});
    expect(validateOptionValues({ ...base, ruc: "2060123456" }, es.settings).ruc).toBe(es.settings.rucErrors.not_11_digits);
    expect(validateOptionValues({ ...base, ruc: "30601234565" }, es.settings).ruc).toBe(es.settings.rucErrors.unknown_prefix);
    expect(validateOptionValues({ ...base, ruc: "20601234560" }, es.settings).ruc).toBe(es.settings.rucErrors.bad_check_digit);
    expect(validateOptionValues({ ...base, ruc: "20601234565" }, es.settings).ruc).toBeUndefined();
  });
});

describe("timeline entries", () => {
  const notification: TimelineEntry = {
    at: "2026-11-27T21:28:05.000Z",
    kind: "notification",
    type: "cip.paid",
    title: "PagoEfectivo notification cip.paid: signature valid, marked paid",
    detail: { signatureValid: true, outcome: "marked_paid", verificationReason: "valid:sandbox", cip: "2523137", operationNumber: null },
  };
  const delivery: TimelineEntry = {
    at: "2026-11-27T21:28:06.000Z",
    kind: "delivery",
    type: "payment_session.resolve",
    title: "Shopify paymentSessionResolve: failed, will retry",
    detail: { outcome: "retry", detail: "HTTP 503" },
  };

  it("words titles and outcomes in the panel's language, with the server's title as fallback", () => {
    expect(entryTitle(notification, es)).toBe("Notificación de PagoEfectivo (cip.paid)");
    expect(entryTitle(delivery, en)).toBe("Told Shopify: payment confirmed");
    expect(entryTitle({ ...delivery, type: "something.new" }, es)).toBe(delivery.title);
    expect(outcomeBadge(notification, es)).toEqual({ text: "Pago registrado", tone: "success" });
    expect(outcomeBadge(delivery, es)).toEqual({ text: "Falló, se reintentará", tone: "attention" });
  });

  it("shows the signature check as a badge and lists the other facts", () => {
    expect(signatureCheck(notification)).toBe(true);
    expect(signatureCheck({ ...notification, detail: { ...notification.detail as object, signatureValid: false } })).toBe(false);
    expect(detailFacts(notification, es)).toEqual([
      { key: "verificationReason", label: "Verificación", value: "valid:sandbox" },
      { key: "cip", label: "CIP", value: "2523137" },
    ]);
    expect(detailFacts({ ...delivery, detail: { text: "plain words" } }, en)).toEqual([{ key: "text", label: "Text", value: "plain words" }]);
  });
});

describe("admin API client", () => {
  function fakeFetch(answers: Array<{ status: number; body?: unknown }>) {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const answer = answers.shift() ?? { status: 500 };
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
    }) as unknown as typeof globalThis.fetch;
    return { fetch, calls };
  }

  it("sends the CSRF header on writes only, with cookies, as JSON", async () => {
    const { fetch, calls } = fakeFetch([{ status: 200, body: { ok: true } }, { status: 200, body: { cipLifetimeHours: 24 } }]);
    const client = new AdminClient({ baseUrl: "http://app.test", fetch });
    await client.testConnection("sandbox");
    await client.settings();
    expect(calls[0]?.url).toBe("http://app.test/api/credentials/sandbox/test");
    expect(calls[0]?.init.method).toBe("POST");
    expect(calls[0]?.init.credentials).toBe("same-origin");
    expect((calls[0]?.init.headers as Record<string, string>)["X-Requested-With"]).toBe("pagoefectivo-admin");
    expect((calls[1]?.init.headers as Record<string, string>)["X-Requested-With"]).toBeUndefined();
  });

  it("broadcasts a 401 and returns the server's message and field errors otherwise", async () => {
    const { fetch } = fakeFetch([
      { status: 401, body: { error: { code: "unauthenticated", message: "Sign in again" } } },
      { status: 400, body: { error: { code: "bad_request", message: "ruc: bad check digit", details: [{ path: ["ruc"], message: "bad check digit" }] } } },
      { status: 502, body: { error: { code: "shopify_error", message: "Shopify said no" } } },
    ]);
    const client = new AdminClient({ baseUrl: "", fetch });
    let expired = 0;
    client.onUnauthenticated(() => (expired += 1));
    expect(await client.setup()).toEqual({ ok: false, error: { kind: "unauthenticated", message: "Sign in again" } });
    expect(expired).toBe(1);
    expect(await client.saveSettings({ ruc: "1" })).toEqual({
      ok: false,
      error: { kind: "server", status: 400, code: "bad_request", params: {}, message: "ruc: bad check digit", fieldErrors: [{ field: "ruc", message: "bad check digit" }] },
    });
    const activation = await client.activate(null);
    expect(activation.ok === false && activation.error.kind === "server" && activation.error.message).toBe("Shopify said no");
  });

  it("parses every answer with the wire contract: a field the contract lacks, or one missing, is a bad response", async () => {
    const setup = { steps: { credentials: true, connectionTested: false, notificationUrlConfirmed: false, activated: false }, notificationUrl: "https://x/webhooks/pagoefectivo/k" };
    const { fetch } = fakeFetch([
      { status: 200, body: setup },
      { status: 200, body: { ...setup, notificationURL: setup.notificationUrl, notificationUrl: undefined } },
      { status: 200, body: { ...setup, extra: 1 } },
    ]);
    const client = new AdminClient({ baseUrl: "", fetch });
    expect(await client.setup()).toEqual({ ok: true, value: setup });
    for (let i = 0; i < 2; i += 1) {
      const result = await client.setup();
      expect(result.ok === false && result.error.kind === "server" && result.error.code).toBe("bad_response");
    }
  });

  it("words error codes in the panel's language with their parameters, never the server's English", () => {
    const server = (code: string, status: number, params: Record<string, string> = {}): ApiError => ({
      kind: "server",
      status,
      code,
      params,
      message: "English text for logs",
      fieldErrors: [],
    });
    expect(apiErrorMessage(server("refund_date_in_future", 422, { refundedOn: "2026-12-05", today: "2026-12-04" }), es)).toBe(
      "La fecha del reembolso (2026-12-05) es posterior a hoy (2026-12-04). Usa el día en que devolviste el dinero.",
    );
    expect(apiErrorMessage(server("file_empty", 400), en)).toContain("The file is empty");
    for (const [code, status] of [["something_new", 409], ["", 500], ["bad_response", 200]] as const) {
      expect(apiErrorMessage(server(code, status), es)).not.toContain("English text");
    }
  });

  it("builds the export link with the list's filters and no paging", () => {
    const client = new AdminClient({ baseUrl: "", fetch: fakeFetch([]).fetch });
    expect(client.paymentsExportUrl({ ...DEFAULT_PAYMENT_QUERY, state: ["paid"], page: 4 })).toBe("/api/payments/export.csv?state=paid");
  });
});

describe("every word the server can send has the panel's own", () => {
  it("names every payment event type in Spanish and English (the server's English title is never shown)", async () => {
    const { EVENT_TITLES } = await import("../../app/http/admin/payment-timeline-view");
    for (const type of Object.keys(EVENT_TITLES)) {
      expect(es.timeline.events[type], `es: ${type}`).toBeTruthy();
      expect(en.timeline.events[type], `en: ${type}`).toBeTruthy();
    }
  });

  it("says how long paying took in words", () => {
    const s = es.settlements.insights;
    // Under a minute reads "dentro de 1 min", never "dentro de menos de 1 min".
    expect(s.duration(0)).toBe("1 min");
    expect(s.median(s.duration(0))).toBe("La mitad de los pagos llegó dentro de 1 min desde que se emitió el código.");
    expect(s.duration(45)).toBe("45 min");
    expect(s.duration(720)).toBe("12 h");
    // Peru writes decimals with a point (es-PE), as the money does.
    expect(s.duration(3000)).toBe("2.1 días");
    expect(en.settlements.insights.duration(90)).toBe("1.5 h");
    expect(s.headline(1, 1)).toBe("De 1 comprador que eligió PagoEfectivo, 1 pagó (100 %).");
  });
});
