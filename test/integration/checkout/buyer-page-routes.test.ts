import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openBuyerPageReader } from "../../../app/adapters/db/sql-buyer-page-reader";
import { cspHash } from "../../../app/http/views/browser-scripts";
import { eventually, startTestApp, type TestApp } from "../../helpers/test-app";

interface Checkout {
  id: string;
  status: number;
  redirect_url: string | null;
}

/** The buyer routes over HTTP, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: the read, the states, the headers. */
describe("buyer page routes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function checkout(amount = "150.00"): Promise<string> {
    return (await checkoutWithId(amount)).url;
  }

  async function checkoutWithId(amount = "150.00"): Promise<{ id: string; url: string }> {
    const answer = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount, currency: "PEN" });
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    return { id: answer.body.id, url: answer.body.redirect_url as string };
  }

  it("shows the expiry instant PagoEfectivo gave, whatever the database's time zone handling", async () => {
    const { id, url } = await checkoutWithId();
    const html = await (await fetch(url)).text();
    const shown = /data-testid="expiry" datetime="([^"]+)"/.exec(html)?.[1];
    const list = await t.json<{ cips: { dateExpiry: string }[] }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${encodeURIComponent(id)}`);
    const issued = list.body.cips[0]?.dateExpiry;
    expect(issued).toBeTruthy();
    expect(Date.parse(shown ?? "")).toBe(Date.parse(issued ?? ""));
  });

  it("serves the page compressed as asked, with a CSP that allows exactly its inline style and script", async () => {
    const url = await checkout();
    for (const [accept, encoding] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
      ["identity", null],
    ] as const) {
      const response = await fetch(url, { headers: { "accept-encoding": accept } });
      expect(response.status).toBe(200);
      // fetch() decodes the body itself; the header says what travelled.
      expect(response.headers.get("content-encoding")).toBe(encoding);
      expect(response.headers.get("vary")).toBe("Accept-Encoding");
      expect(response.headers.get("cache-control")).toBe("private, no-cache");
      expect(response.headers.get("etag")).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
      const html = await response.text();
      const csp = response.headers.get("content-security-policy") ?? "";
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
      expect(csp).toContain(`style-src ${cspHash(style)}`);
      expect(csp).toContain(`script-src ${cspHash(script)}`);
      expect(csp).toContain("connect-src 'self'");
      expect(html).toContain('data-state="pending"');
    }
  });

  it("reports the state on /status and shows the paid page with what was paid once PagoEfectivo notifies", async () => {
    const url = await checkout("75.50");
    const status = await fetch(`${url}/status`);
    expect(status.headers.get("content-type")).toMatch(/application\/json/);
    const answer = (await status.json()) as { state: string; now: string };
    expect(answer.state).toBe("pending");
    // The server's clock, which the page's countdown re-bases on.
    expect(Math.abs(Date.parse(answer.now) - t.app.clock.now().getTime())).toBeLessThan(5_000);
    const html = await (await fetch(url)).text();
    const cip = /data-value="(\d+)"/.exec(html)?.[1];
    expect(cip).toBeTruthy();
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${cip}/pay`, {})).status).toBeLessThan(300);
    await eventually(async () => ((await (await fetch(`${url}/status`)).json()) as { state: string }).state === "paid" || null);
    const paid = await (await fetch(url)).text();
    expect(paid).toContain('data-state="paid"');
    expect(paid).toMatch(/data-testid="paid-amount">S\/ 75\.50</);
    expect(paid).toMatch(/data-testid="paid-at" datetime="\d{4}-\d{2}-\d{2}T/);
    expect(paid).not.toContain("Total a pagar");
    expect(paid).toContain("Pagoefectivo Demo");
  });

  it("answers 304 to a page the browser has while nothing on it changed, and the new page once the state moves", async () => {
    const url = await checkout("42.00");
    // The ETag also moves each minute (the countdown's text): asked twice in a row, one pair falls inside a minute.
    let etag = "";
    let again: Response | null = null;
    for (let attempt = 0; attempt < 2 && again?.status !== 304; attempt += 1) {
      const first = await fetch(url, { headers: { "accept-encoding": "br" } });
      etag = first.headers.get("etag") ?? "";
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      again = await fetch(url, { headers: { "accept-encoding": "br", "if-none-match": etag } });
    }
    if (!again) throw new Error("not asked");
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("private, no-cache");
    // Another encoding is another representation: a full answer.
    expect((await fetch(url, { headers: { "accept-encoding": "gzip", "if-none-match": etag } })).status).toBe(200);
    // The status is live: never cached.
    expect((await fetch(`${url}/status`)).headers.get("cache-control")).toBe("no-store");
    const cip = /data-value="(\d+)"/.exec(await (await fetch(url)).text())?.[1];
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${cip}/pay`, {})).status).toBeLessThan(300);
    await eventually(async () => ((await (await fetch(`${url}/status`)).json()) as { state: string }).state === "paid" || null);
    const paid = await fetch(url, { headers: { "accept-encoding": "br", "if-none-match": etag } });
    expect(paid.status).toBe(200);
    expect(paid.headers.get("etag")).not.toBe(etag);
    expect(await paid.text()).toContain('data-state="paid"');
  });

  it("reads the same version with the narrow statement as with the whole record, and a new one after each write", async () => {
    const url = await checkout("33.00");
    const token = new URL(url).pathname.split("/").pop() as string;
    const reader = openBuyerPageReader(t.app.config.database);
    try {
      // The worker and Shopify's webhooks keep writing the session just after a checkout (pending sent, order
      // linked), so the two reads are compared at a moment no write fell between them: a narrow statement that
      // read another version would never agree.
      const sameVersion = async (state: string) =>
        eventually(async () => {
          const record = await reader.findByBuyerToken(token);
          if (record?.session.state !== state) return null;
          return (await reader.findVersionByBuyerToken(token)) === record.version ? record : null;
        });
      const record = await sameVersion("pending");
      expect(await reader.findVersionByBuyerToken("doesnotexist123")).toBeNull();
      const cip = record.session.cip;
      expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${cip}/pay`, {})).status).toBeLessThan(300);
      const paid = await sameVersion("paid");
      expect(paid.version).not.toBe(record.version);
    } finally {
      await reader.close();
    }
  });

  it("answers unknown, malformed and truncated links with an HTML page in the shopper's language", async () => {
    const url = await checkout();
    for (const [path, language, heading] of [
      ["/pay/doesnotexist123", "es-PE,es;q=0.9", "No encontramos este pago"],
      ["/pay/x", "en-US,en;q=0.9", "We could not find this payment"],
      [new URL(url).pathname.slice(0, -4), "es", "No encontramos este pago"],
      ["/pay/doesnotexist123/status/extra", "en", "We could not find this payment"],
      ["/pay/doesnotexist123?lang=en", "es", "We could not find this payment"],
    ] as const) {
      const response = await fetch(`${t.url}${path}`, { headers: { "accept-language": language } });
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(await response.text()).toContain(heading);
    }
    const status = await fetch(`${t.url}/pay/doesnotexist123/status`);
    expect(status.status).toBe(404);
    expect(await status.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers the page the same through the server's fast path and through the Express route", async () => {
    const url = await checkout();
    const viaExpress = http.createServer(t.app.express);
    await new Promise<void>((resolve) => viaExpress.listen(0, "127.0.0.1", () => resolve()));
    try {
      const { port } = viaExpress.address() as AddressInfo;
      const path = new URL(url).pathname;
      const [fast, routed] = await Promise.all([fetch(url), fetch(`http://127.0.0.1:${port}${path}`)]);
      for (const name of ["content-type", "content-security-policy", "cache-control", "vary", "content-encoding", "referrer-policy"]) {
        expect([name, routed.headers.get(name)]).toEqual([name, fast.headers.get(name)]);
      }
      const [a, b] = await Promise.all([fast.text(), routed.text()]);
      // Same render (one responder, one cache), apart from the absolute URLs' host and the moment each request was
      // answered (the countdown starts from the server's now, read per request: two requests a few ms apart differ).
      const timeless = (html: string) =>
        html.replace(/data-server-now="[^"]*"/g, 'data-server-now=""').replace(/(data-countdown[^>]*>)[^<]*</g, "$1<");
      expect(timeless(b.replaceAll(`127.0.0.1:${port}`, new URL(url).host))).toBe(timeless(a));
    } finally {
      await new Promise((resolve) => viaExpress.close(resolve));
    }
  });

  it("offers the expiry as an iCalendar file while the code is pending", async () => {
    const url = await checkout();
    const response = await fetch(`${url}/calendar.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="cip-\d+\.ics"$/);
    const ics = await response.text();
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toMatch(/\r\nDTEND:\d{8}T\d{6}Z\r\n/);
  });
});
