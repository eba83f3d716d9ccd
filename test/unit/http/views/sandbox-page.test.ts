import { describe, expect, it } from "vitest";

import { browserScript } from "../../../../app/http/views/browser-scripts";
import { renderSandboxPage, type SandboxPageView } from "../../../../app/http/views/sandbox-page";
import { absoluteUrls, attribute, elementOf, openingTag, tags, textOf, unescapeAttribute } from "./html-assertions";

function view(overrides: Partial<SandboxPageView> = {}): SandboxPageView {
  return {
    appUrl: "https://localhost:3000",
    sandboxUrl: "http://127.0.0.1:3001",
    demoShop: "demo-tienda.myshopify.com",
    adminUrl: "https://localhost:3000/admin",
    nonce: "sb-nonce",
    clock: { now: new Date("2026-12-04T15:00:00Z"), offsetSeconds: 0 },
    shops: [],
    ...overrides,
  };
}

describe("renderSandboxPage", () => {
  it("is a complete HTML document with viewport and title", () => {
    const html = renderSandboxPage(view());
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toMatch(/<title>[^<]*Sandbox[^<]*<\/title>/);
  });

  it("has the installed shops, then the five steps in order", () => {
    const html = renderSandboxPage(view());
    const headings = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(headings.slice(0, 6)).toEqual(["Installed shops", "1. Checkout", "2. Pay", "3. Shopify", "4. Time &amp; faults", "5. Refund"]);
  });

  it("puts the nonce on every script and style, and loads nothing external", () => {
    const html = renderSandboxPage(view());
    const all = [...tags(html, "script"), ...tags(html, "style")];
    expect(all).toHaveLength(2);
    for (const tag of all) expect(attribute(tag, "nonce")).toBe("sb-nonce");
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link\b|<img\b|<iframe\b/i);
    const css = /<style[^>]*>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    expect(css.length).toBeGreaterThan(0);
    expect(css).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/\sstyle="|\son[a-z]+="|javascript:/i);
  });

  it("names no host other than the app, the admin panel and the sandbox", () => {
    const v = view();
    const html = renderSandboxPage(v);
    for (const url of absoluteUrls(html)) {
      expect([v.appUrl, v.sandboxUrl, v.adminUrl].some((allowed) => url.startsWith(allowed))).toBe(true);
    }
  });

  it("links to the admin panel and to the install URL for the demo shop", () => {
    const html = renderSandboxPage(view({ appUrl: "https://localhost:3000/" }));
    expect(attribute(openingTag(html, "admin-link") ?? "", "href")).toBe("https://localhost:3000/admin");
    expect(attribute(openingTag(html, "install-link") ?? "", "href")).toBe(
      "https://localhost:3000/auth/install?shop=demo-tienda.myshopify.com",
    );
  });

  it("lists each installed shop with its emulator credentials, never a secretKey, and sends checkouts to the chosen shop", () => {
    const html = renderSandboxPage(
      view({
        shops: [
          {
            domain: "demo-tienda.myshopify.com",
            name: "Demo",
            credentials: [
              { environment: "sandbox", idService: 20329, accessKey: "DEMOPRE1", verified: true },
              { environment: "production", idService: 45120, accessKey: "DEMOPRD1", verified: false },
            ],
          },
          { domain: "otra.myshopify.com", name: null, credentials: [] },
        ],
      }),
    );
    const table = elementOf(html, "sandbox-shops") ?? "";
    expect(table).toContain("20329");
    expect(table).toContain("DEMOPRD1");
    expect(table).toContain("otra.myshopify.com");
    expect(table).toMatch(/No PagoEfectivo credentials/);
    expect(table).not.toMatch(/secretKey"|secret_key/i);
    const select = /<select id="checkout-shop">([\s\S]*?)<\/select>/.exec(html)?.[1] ?? "";
    expect([...select.matchAll(/value="([^"]+)"/g)].map((m) => m[1])).toEqual(["demo-tienda.myshopify.com", "otra.myshopify.com"]);
    expect(browserScript("sandbox-page").source).toContain("checkout-shop");
  });

  it("hands the control API base to the script through an escaped data attribute", () => {
    const sandboxUrl = `http://127.0.0.1:3001/x"><script>alert(1)</script>`;
    const html = renderSandboxPage(view({ sandboxUrl }));
    const body = /<body[^>]*>/.exec(html)?.[0] ?? "";
    expect(unescapeAttribute(attribute(body, "data-sandbox-url") ?? "")).toBe(sandboxUrl);
    expect(html).not.toContain("<script>alert(1)");
  });

  it("escapes every value of the view", () => {
    const evil = `"'<>&\``;
    const html = renderSandboxPage({
      appUrl: `https://a.example/${evil}`,
      sandboxUrl: `https://s.example/${evil}`,
      demoShop: `<script>alert(1)</script>${evil}`,
      adminUrl: `https://admin.example/${evil}`,
      nonce: `n${evil}`,
      clock: { now: new Date(0), offsetSeconds: 0 },
      shops: [{ domain: `x${evil}.myshopify.com`, name: `Tienda ${evil}`, credentials: [{ environment: "sandbox", idService: 20329, accessKey: `AK${evil}`, verified: true }] }],
    });
    expect(html).not.toContain(evil);
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("has the buyer-page link hidden until a checkout returns a redirect_url", () => {
    const link = openingTag(renderSandboxPage(view()), "buyer-link") ?? "";
    expect(link).toContain(" hidden");
    expect(attribute(link, "href")).toBeNull();
    expect(textOf(renderSandboxPage(view()), "buyer-link")).toBe("Open the buyer page");
  });

  it("advances the clock by 1 h and 49 h", () => {
    const html = renderSandboxPage(view());
    expect(html).toContain('data-advance-seconds="3600"');
    expect(html).toContain(`data-advance-seconds="${49 * 3600}"`);
  });
});

describe("sandbox clock", () => {
  it("shows the app's clock at the top, in Lima and UTC, with how far it was moved", () => {
    const real = renderSandboxPage(view());
    expect(elementOf(real, "sandbox-clock")).toContain("2026-12-04 10:00:00 Lima (15:00:00 UTC)");
    expect(elementOf(real, "sandbox-clock")).toContain("(real time)");
    const moved = renderSandboxPage(view({ clock: { now: new Date("2026-12-06T16:00:00Z"), offsetSeconds: 49 * 3600 } }));
    expect(elementOf(moved, "sandbox-clock")).toContain("2026-12-06 11:00:00 Lima (16:00:00 UTC)");
    expect(elementOf(moved, "sandbox-clock")).toContain("(real time + 49 h)");
    // Before any step: in the header.
    expect(moved.indexOf('data-testid="sandbox-clock"')).toBeLessThan(moved.indexOf('id="step-checkout"'));
  });
});

const SANDBOX_PAGE_JS = browserScript("sandbox-page").source;

describe("sandbox page script", () => {
  it("parses and never writes HTML from data", () => {
    expect(() => new Function(SANDBOX_PAGE_JS)).not.toThrow();
    expect(SANDBOX_PAGE_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(SANDBOX_PAGE_JS).toContain("textContent");
    expect(SANDBOX_PAGE_JS).not.toMatch(/<\/script/i);
  });

  it("calls every control API it offers", () => {
    for (const path of [
      "/sandbox/shopify/checkouts",
      "/sandbox/shopify/payment-sessions/",
      "/sandbox/pagoefectivo/cips?transactionCode=",
      "/sandbox/pagoefectivo/cips/",
      "/sandbox/clock",
      "/refunds",
      "/sandbox/shopify/faults",
      "/sandbox/pagoefectivo/faults",
    ]) {
      expect(SANDBOX_PAGE_JS).toContain(path);
    }
  });

  it("only follows http(s) links it got from the APIs", () => {
    // Minified names differ; the check itself stays in the compiled text.
    expect(SANDBOX_PAGE_JS).toContain("/^https?:\\/\\//i.test(");
    expect(SANDBOX_PAGE_JS.match(/\.href=/g)?.length).toBe(2);
  });
});
