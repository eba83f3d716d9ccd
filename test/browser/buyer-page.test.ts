import { readFileSync } from "node:fs";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../helpers/test-app";
import { DESKTOP, launchChromium, newContext, PHONE, screenshot } from "./browser-harness";

interface Checkout {
  id: string;
  status: number;
  redirect_url: string | null;
}

const CUSTOMER_WITHOUT_PHONE = {
  email: "a@b.pe",
  phone_number: null,
  billing_address: { given_name: "Ana", family_name: "Quispe", country_code: "PE" },
};

/** The simulator's demo shop is "pagoefectivo-demo.myshopify.com", named "Pagoefectivo Demo" in its `shop { name }`. */
const STORE_NAME = "Pagoefectivo Demo";

const SIZES = [
  ["phone", PHONE],
  ["desktop", DESKTOP],
] as const;

describe("buyer page in a real browser", () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function checkout(body: Record<string, unknown>): Promise<string> {
    const answer = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount: "150.00", currency: "PEN", ...body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.redirect_url).toBeTruthy();
    return answer.body.redirect_url as string;
  }

  /** Opens a page and records every CSP violation the browser reports. */
  async function open(url: string, viewport: { width: number; height: number }, locale = "es-PE", expectedStatus = 200): Promise<{ page: Page; violations: string[] }> {
    const context = await newContext(browser, viewport, locale);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(url);
    expect(response?.status()).toBe(expectedStatus);
    return { page, violations };
  }

  async function expectCipShown(page: Page, amount: string): Promise<string> {
    const cip = page.getByTestId("cip");
    await cip.waitFor();
    const code = (await cip.textContent())?.replace(/\s/g, "") ?? "";
    expect(code).toMatch(/^\d{6,14}$/);
    await expect.poll(() => page.getByTestId("amount").textContent()).toBe(amount);
    // The countdown runs in the page: hh:mm:ss, and it moves.
    const countdown = page.getByTestId("countdown");
    expect(await countdown.isVisible()).toBe(true);
    const first = await countdown.textContent();
    expect(first).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    await expect.poll(() => countdown.textContent(), { timeout: 3_000 }).not.toBe(first);
    expect(await page.locator('[data-testid="qr"] svg').isVisible()).toBe(true);
    expect(await page.getByTestId("continue-button").isVisible()).toBe(true);
    expect(await page.getByTestId("voucher-link").isVisible()).toBe(true);
    return code;
  }

  /** No element sticks out sideways: the page fits the phone without horizontal scrolling. */
  async function expectNoHorizontalOverflow(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  for (const [label, viewport] of SIZES) {
    it(`shows the CIP, amount, countdown, QR and return button in Spanish, under the store's name (${label})`, async () => {
      const { page, violations } = await open(await checkout({}), viewport);
      await expectCipShown(page, "S/ 150.00");
      expect(await page.locator("html").getAttribute("lang")).toBe("es-PE");
      expect(await page.getByTestId("shop-name").textContent()).toBe(STORE_NAME);
      expect(await page.locator("body").textContent()).not.toContain("pagoefectivo-demo");
      expect(await page.getByTestId("continue-button").textContent()).toMatch(/tienda|Volver/i);
      expect(await page.getByText("Cómo pagar", { exact: false }).count()).toBeGreaterThan(0);
      // Only documented channels: nothing tells a wallet user to scan a QR that holds only the CIP digits.
      expect(await page.locator("main").textContent()).not.toMatch(/Yape|Plin|Escanea el código QR/);
      expect(await page.getByTestId("live-note").isVisible()).toBe(true);
      if (label === "phone") await expectNoHorizontalOverflow(page);
      expect(violations).toEqual([]);
      await screenshot(page, `buyer-pending-es-${label}`);
      await page.context().close();
    });

    it(`shows the same page in English for an English-speaking customer (${label})`, async () => {
      const { page, violations } = await open(await checkout({ locale: "en", currency: "USD" }), viewport);
      await expectCipShown(page, "US$ 150.00");
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      expect(await page.title()).toBe(`Pay with PagoEfectivo · ${STORE_NAME}`);
      if (label === "phone") await expectNoHorizontalOverflow(page);
      expect(violations).toEqual([]);
      await screenshot(page, `buyer-pending-en-${label}`);
      await page.context().close();
    });

    it(`turns into the paid page by itself once PagoEfectivo reports the payment, and leads to the order (${label})`, async () => {
      const { page, violations } = await open(await checkout({ amount: "89.90" }), viewport);
      const cip = await expectCipShown(page, "S/ 89.90");
      const paid = await t.json("POST", `/sandbox/pagoefectivo/cips/${cip}/pay`, {});
      expect(paid.status, JSON.stringify(paid.body)).toBeLessThan(300);
      // No click, no reload by the test: the page follows the payment (it polls every 5 s).
      await page.locator('main[data-state="paid"]').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId("paid-amount").textContent()).toBe("S/ 89.90");
      expect(await page.getByTestId("paid-at").textContent()).toMatch(/\d{4}, \d{2}:\d{2}$/);
      expect(await page.getByTestId("cip-reference").textContent()).toBe(cip);
      expect(await page.locator("main").textContent()).not.toContain("Total a pagar");
      expect(await page.getByTestId("continue-button").textContent()).toBe(`Ver mi pedido en ${STORE_NAME}`);
      if (label === "phone") await expectNoHorizontalOverflow(page);
      expect(violations).toEqual([]);
      await screenshot(page, `buyer-paid-es-${label}`);
      // The way back: our continue link redirects to the order status page Shopify gave on resolve.
      await page.getByTestId("continue-button").click();
      await page.waitForURL(/\/sandbox\/shopify\/shops\/.+\/thank-you/, { timeout: 15_000 });
      await page.context().close();
    });

    it(`answers a bad or truncated link with a page in the shopper's language, not JSON (${label})`, async () => {
      const es = await open(`${t.url}/pay/doesnotexist123`, viewport, "es-PE", 404);
      expect(await es.page.locator("h1").textContent()).toBe("No encontramos este pago");
      expect(await es.page.locator("html").getAttribute("lang")).toBe("es-PE");
      expect(es.violations).toEqual([]);
      if (label === "phone") await expectNoHorizontalOverflow(es.page);
      await screenshot(es.page, `buyer-not-found-es-${label}`);
      await es.page.context().close();

      const url = await checkout({});
      const en = await open(`${url.slice(0, -6)}`, viewport, "en-US", 404);
      expect(await en.page.locator("h1").textContent()).toBe("We could not find this payment");
      await screenshot(en.page, `buyer-not-found-en-${label}`);
      await en.page.context().close();
    });

    it(`asks a customer without a phone for one, accepts spaces, and says what is wrong in words (${label})`, async () => {
      const { page, violations } = await open(await checkout({ customer: CUSTOMER_WITHOUT_PHONE }), viewport);
      const form = page.getByTestId("phone-form");
      await form.waitFor();
      expect(await page.getByTestId("cip").count()).toBe(0);
      if (label === "phone") await expectNoHorizontalOverflow(page);
      await screenshot(page, `buyer-phone-form-${label}`);

      const phone = page.locator("#phone");
      const submit = page.locator('[data-testid="phone-form"] button[type="submit"]');
      // Too short: the script stops the submit with a sentence, not a pattern.
      await phone.fill("98765");
      await submit.click();
      expect(await phone.evaluate((input: HTMLInputElement) => input.validationMessage)).toBe("Escribiste 5 dígitos; un celular peruano tiene 9.");
      expect(await page.getByTestId("phone-error").textContent()).toBe("Escribiste 5 dígitos; un celular peruano tiene 9.");
      await screenshot(page, `buyer-phone-error-${label}`);
      await phone.fill("887 654 321");
      await submit.click();
      expect(await page.getByTestId("phone-error").textContent()).toBe("Un celular peruano empieza con 9. Revisa el primer dígito.");
      expect(await form.isVisible()).toBe(true);

      // Typed the way people write it: nothing is cut off.
      await phone.fill("987 654 321");
      expect(await phone.inputValue()).toBe("987 654 321");
      await submit.click();
      await expectCipShown(page, "S/ 150.00");
      expect(violations).toEqual([]);
      await screenshot(page, `buyer-phone-cip-${label}`);
      await page.context().close();
    });
  }

  it("words a bad phone on the server too, for browsers without the script", async () => {
    const url = await checkout({ customer: CUSTOMER_WITHOUT_PHONE });
    const { page } = await open(url, PHONE);
    const csrf = await page.locator('input[name="_csrf"]').getAttribute("value");
    const response = await fetch(`${url}/phone`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf ?? "", phoneCountryCode: "+51", phone: "987-654-32" }).toString(),
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Escribiste 8 dígitos; un celular peruano tiene 9.");
    expect(html).toContain('value="987-654-32"');
    await page.context().close();
  });

  it("lets the shopper copy the code and save its expiry to the calendar, with no external service", async () => {
    const { page } = await open(await checkout({}), PHONE);
    const cip = await expectCipShown(page, "S/ 150.00");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.url });
    await page.getByTestId("copy-button").click();
    await expect.poll(() => page.locator("#copy-status").textContent()).toBe("¡Copiado!");

    // Web Share is offered exactly when the browser has it.
    const canShare = await page.evaluate(() => typeof navigator.share === "function");
    expect(await page.getByTestId("share-button").isVisible()).toBe(canShare);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("calendar-link").click()]);
    expect(download.suggestedFilename()).toBe(`cip-${cip}.ics`);
    const ics = readFileSync((await download.path()) ?? "", "utf8");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics.replace(/\r\n /g, "")).toContain(`SUMMARY:Pagar el CIP ${cip} (${STORE_NAME})`);
    expect(ics).toMatch(/DTEND:\d{8}T\d{6}Z/);
    await page.context().close();
  });

  it("switches language with ?lang=en and with the language link", async () => {
    const url = await checkout({});
    const { page } = await open(`${url}${url.includes("?") ? "&" : "?"}lang=en`, DESKTOP);
    await expectCipShown(page, "S/ 150.00");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByTestId("language-switch").click();
    await page.waitForLoadState();
    expect(await page.locator("html").getAttribute("lang")).toBe("es-PE");
    await page.context().close();
  });

  for (const [label, viewport] of SIZES) {
    it(`shows the sandbox clock at the top of /sandbox and follows it when advanced (${label})`, async () => {
      const context = await newContext(browser, viewport, "en-US");
      const page = await context.newPage();
      await page.goto(`${t.url}/sandbox`);
      const clock = page.getByTestId("sandbox-clock");
      expect(await clock.isVisible()).toBe(true);
      expect(await clock.textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} Lima \(\d{2}:\d{2}:\d{2} UTC\)/);
      const before = Date.parse((await page.locator("#clock-now").getAttribute("datetime")) ?? "");
      await page.getByRole("button", { name: "Advance clock 1 h" }).click();
      // The app is shared by both sizes: the offset text may already read "+ 1 h" from the other run, so
      // wait for the shown time itself to move by the hour.
      await expect.poll(async () => Date.parse((await page.locator("#clock-now").getAttribute("datetime")) ?? "") - before).toBeGreaterThanOrEqual(3_600_000);
      await expect.poll(() => page.locator("#clock-offset").textContent()).toMatch(/\(real time \+ \d+(\.\d+)? h\)/);
      // The shops table scrolls inside its card: the page itself fits a phone.
      if (label === "phone") await expectNoHorizontalOverflow(page);
      await screenshot(page, `sandbox-clock-${label}`);
      await context.close();
    });
  }
});
