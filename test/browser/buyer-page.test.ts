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

  async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await newContext(browser, viewport);
    const page = await context.newPage();
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    return page;
  }

  async function expectCipShown(page: Page, amount: string): Promise<void> {
    const cip = page.getByTestId("cip");
    await cip.waitFor();
    expect((await cip.textContent())?.replace(/\s/g, "")).toMatch(/^\d{6,14}$/);
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
  }

  /** No element sticks out sideways: the page fits the phone without horizontal scrolling. */
  async function expectNoHorizontalOverflow(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  for (const [label, viewport] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    it(`shows the CIP, amount, countdown, QR and return button in Spanish (${label})`, async () => {
      const page = await open(await checkout({}), viewport);
      await expectCipShown(page, "S/ 150.00");
      expect(await page.locator("html").getAttribute("lang")).toBe("es-PE");
      expect(await page.getByTestId("continue-button").textContent()).toMatch(/tienda|Volver/i);
      expect(await page.getByText("Cómo pagar", { exact: false }).count()).toBeGreaterThan(0);
      if (label === "phone") await expectNoHorizontalOverflow(page);
      await screenshot(page, `buyer-pending-es-${label}`);
      await page.context().close();
    });

    it(`shows the same page in English for an English-speaking customer (${label})`, async () => {
      const page = await open(await checkout({ locale: "en", currency: "USD" }), viewport);
      await expectCipShown(page, "US$ 150.00");
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      expect(await page.title()).toMatch(/^Pay with PagoEfectivo/);
      if (label === "phone") await expectNoHorizontalOverflow(page);
      await screenshot(page, `buyer-pending-en-${label}`);
      await page.context().close();
    });
  }

  it("switches language with ?lang=en and with the language link", async () => {
    const url = await checkout({});
    const page = await open(`${url}${url.includes("?") ? "&" : "?"}lang=en`, DESKTOP);
    await expectCipShown(page, "S/ 150.00");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByTestId("language-switch").click();
    await page.waitForLoadState();
    expect(await page.locator("html").getAttribute("lang")).toBe("es-PE");
    await page.context().close();
  });

  for (const [label, viewport] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    it(`asks a customer without a phone for one, then shows the CIP (${label})`, async () => {
      const page = await open(await checkout({ customer: CUSTOMER_WITHOUT_PHONE }), viewport);
      const form = page.getByTestId("phone-form");
      await form.waitFor();
      expect(await page.getByTestId("cip").count()).toBe(0);
      if (label === "phone") await expectNoHorizontalOverflow(page);
      await screenshot(page, `buyer-phone-form-${label}`);

      // A wrong number first: the browser's own validation (9 digits starting with 9) stops the submit.
      await page.locator("#phone").fill("12345");
      await page.locator('[data-testid="phone-form"] button[type="submit"]').click();
      expect(await page.locator("#phone").evaluate((input: HTMLInputElement) => input.validity.patternMismatch)).toBe(true);
      expect(await page.getByTestId("phone-form").isVisible()).toBe(true);

      await page.locator("#phone").fill("987654321");
      await page.locator('[data-testid="phone-form"] button[type="submit"]').click();
      await expectCipShown(page, "S/ 150.00");
      await screenshot(page, `buyer-phone-cip-${label}`);
      await page.context().close();
    });
  }
});
