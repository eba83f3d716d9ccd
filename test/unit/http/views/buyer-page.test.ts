import { toString as qrToString } from "qrcode";
import { describe, expect, it } from "vitest";

import { browserScript, cspHash } from "../../../../app/http/views/browser-scripts";
import {
  BUYER_PAGE_STATES,
  BUYER_PHONE_FORM_FIELDS,
  buyerPageCsp,
  type BuyerPageState,
  type BuyerPageView,
  renderBuyerPage,
} from "../../../../app/http/views/buyer-page";
import { BUYER_PAGE_STRINGS } from "../../../../app/http/views/i18n";
import {
  absoluteUrls,
  attribute,
  elementOf,
  hasTestId,
  openingTag,
  tags,
  textOf,
  unescapeAttribute,
} from "./html-assertions";

const NOW = new Date("2026-11-27T20:30:00Z");
const EXPIRES = new Date("2026-11-28T20:30:00Z"); // sábado 28 de noviembre de 2026, 15:30 in Lima

function view(overrides: Partial<BuyerPageView> = {}): BuyerPageView {
  return {
    locale: "es",
    shopName: "Tienda Ñandú",
    state: "pending",
    cip: "2538766",
    cipUrl: "https://pre1a.payment.pagoefectivo.pe/AB803C1C-1111-2222-3333-444455556666.html",
    amountMinor: 15000,
    currency: "PEN",
    expiresAt: EXPIRES,
    now: NOW,
    continueUrl: "https://app.example.pe/pay/tok_123/continue",
    cancelUrl: "https://tienda.myshopify.com/checkouts/c/abc/cancel",
    formAction: "/pay/tok_123/phone",
    phoneError: null,
    csrfToken: "csrf-abc",
    languageSwitchUrl: { es: "/pay/tok_123?lang=es", en: "/pay/tok_123?lang=en" },
    refreshSeconds: null,
    rejectionMessage: null,
    statusUrl: "https://app.example.pe/pay/tok_123/status",
    calendarUrl: "https://app.example.pe/pay/tok_123/calendar.ics",
    paid: { amountMinor: 15000, currency: "PEN", at: new Date("2026-11-28T15:10:00Z") },
    ...overrides,
  };
}

const render = (overrides: Partial<BuyerPageView> = {}) => renderBuyerPage(view(overrides));

describe("renderBuyerPage: document", () => {
  it("is one HTML5 document with lang, viewport and a title", async () => {
    const html = await render();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="es-PE">');
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toMatch(/<title>Paga con PagoEfectivo · Tienda Ñandú<\/title>/);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });

  it.each(BUYER_PAGE_STATES)("allows exactly its inline <style> and <script> by hash in the CSP (%s)", async (state) => {
    const html = await render({ state });
    const csp = buyerPageCsp();
    const bodies = [...html.matchAll(/<(style|script)>([\s\S]*?)<\/\1>/g)];
    expect(bodies.length).toBe(tags(html, "style").length + tags(html, "script").length);
    expect(tags(html, "style")).toHaveLength(1);
    for (const [, kind, body = ""] of bodies) {
      const directive = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith(`${kind}-src `)) ?? "";
      expect(directive.split(" ")).toContain(cspHash(body));
    }
    expect(csp).not.toMatch(/unsafe-inline|nonce-/);
    expect(csp).toMatch(/default-src 'none'/);
  });

  it("renders the same bytes for the same view, so the route may cache them", async () => {
    expect(await render()).toBe(await render());
  });

  it.each(BUYER_PAGE_STATES)("loads nothing external and needs no CSP exception (%s)", async (state) => {
    const html = await render({ state });
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/<iframe\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    // Inline style attributes and event handler attributes are blocked by a nonce-based CSP.
    expect(html).not.toMatch(/\sstyle="/i);
    expect(html).not.toMatch(/\son[a-z]+="/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it.each(BUYER_PAGE_STATES)("names no http(s) URL except cipUrl, continueUrl and cancelUrl (%s)", async (state) => {
    const v = view({ state });
    const html = await renderBuyerPage(v);
    const allowed = [v.cipUrl, v.continueUrl, v.cancelUrl, v.statusUrl, v.calendarUrl].filter((u): u is string => u !== null);
    for (const url of absoluteUrls(html)) expect(allowed).toContain(url);
  });

  it("keeps the inline script static, parseable and free of a closing script tag", () => {
    const { source } = browserScript("buyer-page");
    expect(() => new Function(source)).not.toThrow();
    expect(source).not.toMatch(/<\/script/i);
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it("sends the script only in the states that use it", async () => {
    expect(tags(await render({ state: "pending" }), "script")).toHaveLength(1);
    expect(tags(await render({ state: "awaiting_phone" }), "script")).toHaveLength(1);
    for (const state of ["issuing", "paid", "expired", "rejected", "cancelled"] as const) {
      expect(tags(await render({ state }), "script")).toHaveLength(0);
    }
  });
});

describe("renderBuyerPage: escaping", () => {
  it("escapes a hostile shop name everywhere it appears", async () => {
    for (const state of BUYER_PAGE_STATES) {
      const html = await render({ state, shopName: "<script>alert(1)</script>" });
      expect(html).not.toContain("<script>alert(1)");
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
  });

  it("escapes quotes in the voucher URL so it cannot break out of href", async () => {
    const cipUrl = `https://pay.example/x" onmouseover="alert(1)' data-x='y`;
    const html = await render({ cipUrl });
    const link = openingTag(html, "voucher-link") ?? "";
    expect(link).toContain('href="https://pay.example/x&quot; onmouseover=&quot;alert(1)&#39; data-x=&#39;y"');
    expect(unescapeAttribute(attribute(link, "href") ?? "")).toBe(cipUrl);
    expect(html).not.toContain('x" onmouseover');
  });

  it("escapes every string the view carries, in every state", async () => {
    const evil = `"'<>&\``;
    for (const state of BUYER_PAGE_STATES) {
      const html = await render({
        state,
        shopName: `shop${evil}`,
        cip: `123${evil}`,
        cipUrl: `https://pe.example/${evil}`,
        continueUrl: `https://app.example/c${evil}`,
        cancelUrl: `https://shop.example/x${evil}`,
        formAction: `/f${evil}`,
        phoneError: `err${evil}`,
        phoneInput: { countryCode: `+51${evil}`, phone: `9${evil}` },
        csrfToken: `csrf${evil}`,
        languageSwitchUrl: { es: `/es${evil}`, en: `/en${evil}` },
        rejectionMessage: `no${evil}`,
        statusUrl: `/s${evil}`,
        calendarUrl: `/c${evil}`,
      });
      // The raw sequence would only survive if some value reached the page unescaped.
      expect(html).not.toContain(evil);
      expect(html).not.toMatch(/"'<>/);
    }
  });
});

describe("renderBuyerPage: language", () => {
  it("speaks Spanish (Peru) by default with the channel instructions", async () => {
    const html = await render();
    const t = BUYER_PAGE_STRINGS.es;
    for (const text of [
      "Volver a la tienda",
      "Copiar",
      "Cómo pagar",
      "Banca móvil o por internet",
      "Agentes y bodegas",
      "«PagoEfectivo»",
      "hora de Lima",
      t.continueExplanation,
    ]) {
      expect(html).toContain(text);
    }
    for (const entity of ["BCP", "BBVA", "Interbank", "Scotiabank", "BanBif", "Caja Arequipa", "Kasnet", "Western Union", "Tambo"]) {
      expect(html).toContain(entity);
    }
    expect(hasTestId(html, "channel-bank")).toBe(true);
    expect(hasTestId(html, "channel-agents")).toBe(true);
    expect(html).toContain(BUYER_PAGE_STRINGS.es.moreChannels);
  });

  it("says only what is documented: no wallet is told to scan the QR, which holds only the CIP digits", async () => {
    for (const locale of ["es", "en"] as const) {
      const html = await render({ locale });
      expect(html).not.toMatch(/Yape|Plin/);
      expect(html).not.toMatch(/Escanea el código QR|Scan the QR code/);
      expect(elementOf(html, "qr")).toContain(locale === "es" ? "solo los dígitos de tu CIP" : "only the digits of your CIP");
    }
  });

  it("switches to English, keeping the Peruvian names customers look for", async () => {
    const html = await render({ locale: "en", currency: "USD" });
    expect(html).toContain('<html lang="en">');
    for (const text of ["Return to the store", "Copy", "Share", "How to pay", "Mobile or online banking", "Lima time"]) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain("Volver a la tienda");
    expect(textOf(html, "amount")).toBe("US$ 150.00");
  });

  it("offers a small link to the other language", async () => {
    const es = await render();
    const toEnglish = openingTag(es, "language-switch") ?? "";
    expect(attribute(toEnglish, "href")).toBe("/pay/tok_123?lang=en");
    expect(textOf(es, "language-switch")).toBe("English");

    const en = await render({ locale: "en" });
    expect(attribute(openingTag(en, "language-switch") ?? "", "href")).toBe("/pay/tok_123?lang=es");
    expect(textOf(en, "language-switch")).toBe("Español");
  });

  it("has the same structure in both dictionaries", () => {
    const { es, en } = BUYER_PAGE_STRINGS;
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
    expect(en.channels.map((c) => c.id)).toEqual(es.channels.map((c) => c.id));
    expect(Object.keys(en.countryNames)).toEqual(Object.keys(es.countryNames));
  });
});

describe("renderBuyerPage: amount", () => {
  it.each([
    [123450, "PEN", "S/ 1,234.50"],
    [15000, "USD", "US$ 150.00"],
    [5, "PEN", "S/ 0.05"],
    [0, "PEN", "S/ 0.00"],
    [100000000, "PEN", "S/ 1,000,000.00"],
    [123456789, "USD", "US$ 1,234,567.89"],
  ] as const)("%i %s céntimos reads %s", async (amountMinor, currency, expected) => {
    expect(textOf(await render({ amountMinor, currency }), "amount")).toBe(expected);
  });

  it("formats the same in English", async () => {
    expect(textOf(await render({ locale: "en", amountMinor: 123450 }), "amount")).toBe("S/ 1,234.50");
  });
});

describe("renderBuyerPage: pending", () => {
  it("shows the CIP large, with the copy button and its value", async () => {
    const html = await render();
    expect(textOf(html, "cip")).toBe("2538766");
    const cip = openingTag(html, "cip") ?? "";
    expect(attribute(cip, "data-value")).toBe("2538766");
    expect(attribute(cip, "class")).toBe("cip");
    const copy = openingTag(html, "copy-button") ?? "";
    expect(attribute(copy, "data-copy-target")).toBe(attribute(cip, "id"));
    expect(attribute(copy, "data-copied-text")).toBe("¡Copiado!");
    expect(textOf(html, "copy-button")).toBe("Copiar");
    expect(copy).toContain('type="button"');
  });

  it("shows the expiry in Lima time with a machine-readable instant", async () => {
    const html = await render();
    expect(textOf(html, "expiry")).toBe("sábado 28 de noviembre de 2026, 15:30");
    expect(attribute(openingTag(html, "expiry") ?? "", "datetime")).toBe("2026-11-28T20:30:00.000Z");
    expect(textOf(await render({ locale: "en" }), "expiry")).toBe("Saturday, November 28, 2026, 3:30 PM");
  });

  it("renders the countdown's starting value on the server and gives the script what it needs", async () => {
    const html = await render({ now: new Date("2026-11-28T18:28:55Z") });
    expect(textOf(html, "countdown")).toBe("02:01:05");
    const tag = openingTag(html, "countdown") ?? "";
    expect(attribute(tag, "data-expires-at")).toBe("2026-11-28T20:30:00.000Z");
    expect(attribute(tag, "data-server-now")).toBe("2026-11-28T18:28:55.000Z");
    expect(attribute(tag, "data-expired-text")).toBe("El código venció");
  });

  it("says the code expired when the page is rendered after the expiry", async () => {
    const html = await render({ now: new Date("2026-11-28T20:30:01Z") });
    expect(textOf(html, "countdown")).toBe("El código venció");
  });

  it("inlines the QR of the CIP as SVG, without any image request or namespace URL", async () => {
    const html = await render();
    const qr = elementOf(html, "qr") ?? "";
    expect(qr).toMatch(/^<figure[^>]*><svg\b/);
    expect(qr).toContain("</svg>");
    expect(qr).not.toContain("xmlns");
    expect(qr).not.toMatch(/<img|data:image/);
    // The drawing is exactly qrcode's drawing of the CIP.
    const expected = await qrToString("2538766", { type: "svg", margin: 1 });
    const path = /<path stroke="#000000" d="([^"]+)"/.exec(expected)?.[1];
    expect(path).toBeTruthy();
    expect(qr).toContain(`d="${path}"`);
  });

  it("draws a different QR for a different CIP", async () => {
    const a = elementOf(await render({ cip: "2538766" }), "qr");
    const b = elementOf(await render({ cip: "9999999" }), "qr");
    expect(a).not.toBe(b);
  });

  it("links to PagoEfectivo's voucher in a new tab without an opener", async () => {
    const link = openingTag(await render(), "voucher-link") ?? "";
    expect(attribute(link, "href")).toBe(view().cipUrl);
    expect(attribute(link, "target")).toBe("_blank");
    expect(attribute(link, "rel")?.split(" ")).toContain("noopener");
  });

  it("has the primary button back to the store through our continue link", async () => {
    const html = await render();
    const button = openingTag(html, "continue-button") ?? "";
    expect(attribute(button, "href")).toBe("https://app.example.pe/pay/tok_123/continue");
    expect(attribute(button, "class")).toContain("btn-primary");
    expect(textOf(html, "continue-button")).toBe("Volver a la tienda");
  });

  it("offers another payment method only when Shopify gave a cancel URL", async () => {
    expect(attribute(openingTag(await render(), "cancel-link") ?? "", "href")).toBe(view().cancelUrl);
    expect(hasTestId(await render({ cancelUrl: null }), "cancel-link")).toBe(false);
  });

  it("leaves out the voucher link, expiry and countdown when their data is missing", async () => {
    const html = await render({ cipUrl: null, expiresAt: null });
    expect(hasTestId(html, "voucher-link")).toBe(false);
    expect(hasTestId(html, "expiry")).toBe(false);
    expect(hasTestId(html, "countdown")).toBe(false);
    expect(hasTestId(html, "cip")).toBe(true);
  });

  it("renders without a CIP block instead of failing if the CIP is missing", async () => {
    const html = await render({ cip: null });
    expect(hasTestId(html, "cip")).toBe(false);
    expect(hasTestId(html, "qr")).toBe(false);
    expect(hasTestId(html, "continue-button")).toBe(true);
  });
});

describe("renderBuyerPage: states", () => {
  const everything = ["cip", "amount", "expiry", "countdown", "qr", "voucher-link", "continue-button", "phone-form"];
  const visible: Record<BuyerPageState, string[]> = {
    awaiting_phone: ["amount", "phone-form"],
    issuing: ["amount"],
    pending: ["cip", "amount", "expiry", "countdown", "qr", "voucher-link", "continue-button"],
    paid: ["continue-button"],
    expired: ["amount", "continue-button"],
    rejected: ["amount", "continue-button"],
    cancelled: ["amount", "continue-button"],
  };

  it.each(BUYER_PAGE_STATES)("%s shows exactly its key elements", async (state) => {
    const html = await render({ state });
    expect(attribute(openingTag(html, "state") ?? "", "data-state")).toBe(state);
    for (const id of everything) expect([id, hasTestId(html, id)]).toEqual([id, visible[state].includes(id)]);
  });

  it("awaiting_phone asks for the mobile number with +51 preselected", async () => {
    const html = await render({ state: "awaiting_phone" });
    const form = elementOf(html, "phone-form") ?? "";
    const formTag = openingTag(html, "phone-form") ?? "";
    expect(attribute(formTag, "method")).toBe("post");
    expect(attribute(formTag, "action")).toBe("/pay/tok_123/phone");
    expect(form).toContain(`<input type="hidden" name="${BUYER_PHONE_FORM_FIELDS.csrfToken}" value="csrf-abc">`);
    expect(form).toContain(`name="${BUYER_PHONE_FORM_FIELDS.countryCode}"`);
    expect(form).toContain(`name="${BUYER_PHONE_FORM_FIELDS.phone}"`);
    expect(form).toMatch(/<option value="\+51" selected>\+51 Perú<\/option>/);
    expect(form.match(/ selected/g)).toHaveLength(1);
    expect(form).toContain('type="tel"');
    expect(form).toContain("required");
    expect(html).toContain("PagoEfectivo lo pide para generar tu código de pago (CIP).");
    // Present but hidden and empty: the script fills it when the number is wrong.
    expect(openingTag(html, "phone-error")).toContain(" hidden");
    expect(textOf(html, "phone-error")).toBe("");
    expect(form).not.toContain("aria-invalid");
  });

  it("awaiting_phone shows the error and refills what the shopper typed", async () => {
    const html = await render({
      state: "awaiting_phone",
      phoneError: "Ingresa un celular de 9 dígitos que empiece con 9.",
      phoneInput: { countryCode: "+57", phone: "3001234567" },
    });
    expect(textOf(html, "phone-error")).toBe("Ingresa un celular de 9 dígitos que empiece con 9.");
    expect(attribute(openingTag(html, "phone-error") ?? "", "role")).toBe("alert");
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('value="3001234567"');
    expect(html).toMatch(/<option value="\+57" selected>/);
    expect(html).not.toMatch(/<option value="\+51" selected>/);
  });

  it("awaiting_phone falls back to +51 for an unknown country code", async () => {
    const html = await render({ state: "awaiting_phone", phoneInput: { countryCode: "+999", phone: "1" } });
    expect(html).toMatch(/<option value="\+51" selected>/);
  });

  it("issuing says the code is being generated and refreshes itself", async () => {
    const html = await render({ state: "issuing" });
    expect(html).toContain("Generando tu código...");
    expect(html).toContain('<meta http-equiv="refresh" content="3">');
    expect(await render({ state: "issuing", refreshSeconds: 5 })).toContain('content="5"');
    expect(await render({ state: "issuing", refreshSeconds: 0 })).toContain('http-equiv="refresh" content="1"');
    expect(await render({ state: "issuing", refreshSeconds: 3600 })).toContain('http-equiv="refresh" content="60"');
  });

  it("only issuing refreshes itself", async () => {
    for (const state of BUYER_PAGE_STATES.filter((s) => s !== "issuing")) {
      expect(await render({ state, refreshSeconds: 2 })).not.toContain("http-equiv");
    }
  });

  it("paid shows success, what was paid and when, the CIP only as a reference, and no countdown or QR", async () => {
    const html = await render({ state: "paid", paid: { amountMinor: 14990, currency: "PEN", at: new Date("2026-11-28T15:10:00Z") } });
    expect(html).toContain("¡Pago recibido!");
    expect(html).toContain("Recibimos tu pago de S/ 149.90. Tienda Ñandú ya tiene tu pedido como pagado.");
    expect(textOf(html, "paid-amount")).toBe("S/ 149.90");
    expect(textOf(html, "paid-at")).toBe("sábado 28 de noviembre de 2026, 10:10");
    expect(html).not.toContain("Total a pagar");
    expect(textOf(html, "continue-button")).toBe("Ver mi pedido en Tienda Ñandú");
    expect(textOf(html, "cip-reference")).toBe("2538766");
    expect(hasTestId(html, "copy-button")).toBe(false);
    expect(html).not.toContain("<svg");
    expect(hasTestId(html, "cancel-link")).toBe(false);
  });

  it("expired says the code expired and offers the way back", async () => {
    const html = await render({ state: "expired" });
    expect(html).toMatch(/<h1>El código venció<\/h1>/);
    expect(hasTestId(html, "continue-button")).toBe(true);
    expect(html).not.toContain("2538766");
  });

  it("rejected and cancelled show the given message, or a clear default", async () => {
    const custom = await render({ state: "rejected", rejectionMessage: "PagoEfectivo no está disponible." });
    expect(custom).toContain("PagoEfectivo no está disponible.");
    expect(custom).toContain("No pudimos procesar tu pago");

    const rejected = await render({ state: "rejected" });
    expect(rejected).toContain(BUYER_PAGE_STRINGS.es.rejectedText);

    const cancelled = await render({ state: "cancelled" });
    expect(cancelled).toContain("Pago cancelado");
    expect(cancelled).toContain(BUYER_PAGE_STRINGS.es.cancelledText);
    expect(await render({ state: "cancelled", locale: "en" })).toContain("Payment cancelled");
  });
});
