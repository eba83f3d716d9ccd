import { describe, expect, it } from "vitest";

import { BuyerPageResponder } from "../../../../app/http/routes/buyer-page-responder";
import { FixedClock } from "../../../../app/lib/clock";
import type { BuyerPageRecord } from "../../../../app/ports/buyer-page-reader";
import type { IssueCip } from "../../../../app/use-cases/issue-cip/issue-cip";

/**
 * The responder caches the rendered, compressed page (buyer-page-cache.ts): these tests change the session
 * under it between two views and check that the second view never shows the first's state.
 */
describe("buyer page cache: never stale", () => {
  const TOKEN = "tok_abcdefghijklmnop";
  const start = new Date("2026-12-04T10:00:00.000Z");

  function setup() {
    const record: Omit<BuyerPageRecord, "version"> = {
      session: {
        id: "s1",
        buyerToken: TOKEN,
        state: "pending",
        phone: null,
        cip: "1234567",
        cipUrl: "https://pagoefectivo.example/cip/1234567",
        cipExpiresAt: new Date(start.getTime() + 60_000),
        amountMinor: 15_000,
        currency: "PEN",
        buyerLocale: "es",
        cancelUrl: null,
        nextActionUrl: null,
        paidAt: null,
        paidAmountMinor: null,
        paidCurrency: null,
        updatedAt: start,
      },
      shopName: "Tienda Demo",
      shopDomain: "demo.myshopify.com",
    };
    // As the SQL reader does: the version is made of the columns every write changes.
    const versionOf = () => {
      const s = record.session;
      return `${s.state}|${s.updatedAt.toISOString()}|${s.cip ?? ""}|${s.phone === null ? 1 : 0}|${record.shopName ?? ""}|${record.shopDomain}`;
    };
    const reads = { full: 0, version: 0 };
    const clock = new FixedClock(start);
    const responder = new BuyerPageResponder({
      pages: {
        async findByBuyerToken(token) {
          reads.full += 1;
          return token === TOKEN ? { ...structuredClone(record), version: versionOf() } : null;
        },
        async findVersionByBuyerToken(token) {
          reads.version += 1;
          return token === TOKEN ? versionOf() : null;
        },
      },
      issueCip: { execute: () => Promise.reject(new Error("not expected")) } as unknown as IssueCip,
      clock,
      formSecret: Buffer.from("secret"),
      buyerPageUrl: (token) => `http://127.0.0.1/pay/${token}`,
    });
    const view = async (lang: string | null = null) => {
      const page = await responder.page({ token: TOKEN, lang, acceptEncoding: undefined, acceptLanguage: undefined, path: `/pay/${TOKEN}` });
      expect(page.status).toBe(200);
      return page.body.toString("utf8");
    };
    return { record, clock, view, reads, responder };
  }

  it("reuses the rendered page for a repeated view, reading only the session's version", async () => {
    const { view, reads } = setup();
    const first = await view();
    expect(await view()).toBe(first);
    expect(await view()).toBe(first);
    expect(reads).toEqual({ full: 1, version: 2 });
  });

  it("renders again in the next time window (the countdown's starting point)", async () => {
    const { view, clock, reads } = setup();
    const first = await view();
    clock.advance(5);
    expect(await view()).not.toBe(first);
    expect(reads.full).toBe(2);
  });

  it("shows paid on the next view once the session is paid", async () => {
    const { record, clock, view } = setup();
    expect(await view()).toContain('data-state="pending"');
    clock.advance(1);
    record.session = { ...record.session, state: "paid", paidAt: clock.now(), paidAmountMinor: 15_000, paidCurrency: "PEN", updatedAt: clock.now() };
    expect(await view()).toContain('data-state="paid"');
  });

  it("shows the code as expired as soon as its expiry passes, within the same cache window", async () => {
    const { record, clock, view } = setup();
    record.session = { ...record.session, cipExpiresAt: new Date(start.getTime() + 1_000) };
    const before = await view();
    const countdown = (html: string) => /data-testid="countdown"[^>]*>([^<]*)</.exec(html)?.[1];
    expect(countdown(before)).not.toBe("El código venció");
    clock.advance(2); // still inside the 5 s render window, with nothing written to the session
    const after = await view();
    expect(after).not.toBe(before);
    expect(countdown(after)).toBe("El código venció");
  });

  it("serves each language its own page, back and forth", async () => {
    const { view } = setup();
    const es = await view();
    const en = await view("en");
    expect(es).toContain('<html lang="es');
    expect(en).toContain('<html lang="en');
    expect(await view("es")).toBe(es);
    expect(await view("en")).toBe(en);
  });

  it("shows a state change written within the same millisecond as the cached render (the state is in the version)", async () => {
    const { record, view } = setup();
    await view();
    record.session = { ...record.session, state: "cancelled" };
    expect(await view()).not.toContain('data-state="pending"');
  });

  it("shows the store's new name", async () => {
    const { record, view } = setup();
    expect(await view()).toContain("Tienda Demo");
    record.shopName = "Otra Tienda";
    expect(await view()).toContain("Otra Tienda");
  });

  it("answers 304 from a cached page to the ETag it gave, and 200 once the session is paid", async () => {
    const { record, clock, responder } = setup();
    const ask = (ifNoneMatch?: string) =>
      responder.page({ token: TOKEN, lang: null, acceptEncoding: "br", acceptLanguage: undefined, path: `/pay/${TOKEN}`, ifNoneMatch });
    const first = await ask();
    const etag = first.headers.ETag as string;
    expect((await ask(etag)).status).toBe(304);
    record.session = { ...record.session, state: "paid", paidAt: clock.now(), updatedAt: new Date(start.getTime() + 1) };
    const paid = await ask(etag);
    expect(paid.status).toBe(200);
    expect(paid.headers.ETag).not.toBe(etag);
  });
});
