import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../helpers/test-app";
import { DESKTOP, ensureSpaBuilt, launchChromium, newContext, PHONE, screenshot } from "./browser-harness";

/**
 * The payments insight tab (Liquidaciones › Análisis de pagos) in a real browser against the real server:
 * four sandbox checkouts, two paid at the emulator, one settlement file naming the channel of one of them,
 * one left pending and one expired; then the tab at phone and desktop sizes in Spanish and English.
 */

const SHOP = "insights-browser.myshopify.com";
const SERVICE = { idService: 4712, accessKey: "INSIGHTS01", secretKey: "insights-browser-secret-key" };
const CSRF = { "X-Requested-With": "pagoefectivo-admin" };
const MAPPING = { columns: { cip: "CIP", amount: "Monto", currency: "Moneda", paymentDate: "Fecha de pago", channel: "Canal" } };

describe("payments insight in a real browser", () => {
  let t: TestApp;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  const errors: Error[] = [];

  beforeAll(async () => {
    ensureSpaBuilt();
    [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
    desktop = await newContext(browser, DESKTOP);
    page = await desktop.newPage();
    page.on("pageerror", (error) => errors.push(error));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function api<T>(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; body: T }> {
    const response = await page.request.fetch(`${t.url}${path}`, {
      method,
      headers: { ...(method === "GET" ? {} : CSRF), ...(body === undefined ? {} : { "Content-Type": contentType }) },
      ...(body === undefined ? {} : { data: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status(), body: (text ? JSON.parse(text) : null) as T };
  }

  async function checkout(amount: string): Promise<{ id: string; cip: string }> {
    const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount, currency: "PEN", test: true });
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: answer.body.id } });
    return { id: session.id, cip: session.cip ?? "" };
  }

  it("installs the shop and records paid, pending and expired checkouts", async () => {
    await page.goto(`${t.url}/auth/install?shop=${SHOP}`);
    for (let step = 0; step < 4 && !new URL(page.url()).pathname.startsWith("/admin"); step += 1) {
      await page.locator("#install").click();
      await page.waitForURL((url) => url.pathname.startsWith("/admin") || url.pathname.endsWith("/oauth/authorize"));
    }
    expect(new URL(page.url()).pathname).toBe("/admin");
    const settings = await api<{ notificationUrl: string }>("GET", "/api/settings");
    const register = await t.json("PUT", `/sandbox/pagoefectivo/services/${SERVICE.idService}`, { ...SERVICE, notificationUrl: settings.body.notificationUrl });
    expect(register.status, JSON.stringify(register.body)).toBeLessThan(300);
    expect((await api("PUT", "/api/credentials/sandbox", SERVICE)).status).toBe(200);
    expect((await api<{ ok: boolean }>("POST", "/api/credentials/sandbox/test")).body.ok).toBe(true);
    expect((await api("POST", "/api/notification-url/confirm")).status).toBe(200);
    expect((await api("POST", "/api/activate", {})).status).toBe(200);

    const [agent, bank, waiting, expired] = [await checkout("120.00"), await checkout("45.50"), await checkout("80.00"), await checkout("60.00")];
    for (const [sale, channel] of [[agent, "agente"], [bank, "banca_movil"]] as const) {
      const paid = await t.json("POST", `/sandbox/pagoefectivo/cips/${sale.cip}/pay`, { channel });
      expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    }
    await eventually(async () => (await t.app.db.prisma.paymentSession.count({ where: { id: { in: [agent.id, bank.id] }, state: "paid" } })) === 2, 20_000);
    // Expiry itself is covered by the checkout tests; here the session is set expired so the page has one.
    await t.app.db.prisma.paymentSession.update({ where: { id: expired.id }, data: { state: "expired" } });
    expect(waiting.cip).toMatch(/^\d+$/);
    // A settlement file names the channel of one payment: the only place a channel comes from.
    expect((await api("PUT", "/api/settlements/mapping", MAPPING)).status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const file = ["CIP,Monto,Moneda,Fecha de pago,Canal", `${agent.cip},120.00,PEN,${today} 10:00:00,Agente`].join("\n");
    const upload = await api<{ import: { id: string } }>("POST", "/api/settlements/imports?fileName=liquidacion.csv", file, "text/csv");
    expect([200, 202], JSON.stringify(upload.body)).toContain(upload.status);
    await eventually(async () => (await api<{ status: string }>("GET", `/api/settlements/imports/${upload.body.import.id}`)).body.status === "done", 20_000);
  }, 120_000);

  it("shows who paid, the time to pay, the channels it knows and the hours, in Spanish", async () => {
    await page.goto(`${t.url}/admin/settlements?tab=insights`);
    await page.getByTestId("insights-headline").waitFor();
    expect(await page.getByTestId("insights-headline").textContent()).toBe("De 4 compradores que eligieron PagoEfectivo, 2 pagaron (50 %).");
    expect(await page.getByTestId("insights-expired").textContent()).toBe("1");
    expect(await page.getByTestId("insights-pending").textContent()).toBe("1");
    expect(await page.getByTestId("insights-amount").textContent()).toBe("S/ 165.50");
    expect(await page.getByTestId("insights-median").textContent()).toMatch(/^La mitad de los pagos llegó dentro de \d+ min/);
    const channels = await page.getByTestId("insights-channels").innerText();
    expect(channels).toContain("Agente");
    expect(channels).toContain("Canal desconocido");
    await page.getByText("La notificación de pago de PagoEfectivo no dice por qué canal").waitFor();
    await page.getByTestId("insights-time-chart").locator("svg").first().waitFor();
    await page.getByTestId("insights-hours-chart").locator("svg").first().waitFor();
    // The period the server chose (its last 30 Lima days) shows in the date fields.
    expect(await page.locator("#insights-to").inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await screenshot(page, "insights-desktop-es");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Exportar CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^pagoefectivo-insights-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  }, 60_000);

  it("looks right on a phone and in English", async () => {
    const phone = await newContext(browser, PHONE);
    await phone.addCookies(await desktop.cookies());
    const small = await phone.newPage();
    small.on("pageerror", (error) => errors.push(error));
    await small.goto(`${t.url}/admin/settlements?tab=insights`);
    await small.getByTestId("insights-headline").waitFor();
    await small.getByTestId("insights-hours-chart").locator("svg").first().waitFor();
    // Nothing wider than the phone's screen.
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(small, "insights-phone-es");

    for (const target of [page, small]) {
      await target.evaluate(() => window.localStorage.setItem("pe-admin-locale", "en"));
      await target.reload();
      await target.getByTestId("insights-headline").waitFor();
      expect(await target.getByTestId("insights-headline").textContent()).toBe("Of 4 shoppers who chose PagoEfectivo, 2 paid (50%).");
      await target.getByText("PagoEfectivo's payment notification does not say which channel").waitFor();
      await target.getByTestId("insights-hours-chart").locator("svg").first().waitFor();
    }
    await screenshot(page, "insights-desktop-en");
    await screenshot(small, "insights-phone-en");
    await page.evaluate(() => window.localStorage.removeItem("pe-admin-locale"));
    expect(errors).toEqual([]);
  }, 60_000);
});
