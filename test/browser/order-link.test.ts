import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../helpers/test-app";
import { DESKTOP, ensureSpaBuilt, launchChromium, newContext, screenshot } from "./browser-harness";

/**
 * The payment detail's order link in a real browser: a shop installed through OAuth (the sandbox gives it its own
 * emulator service), a paid checkout whose order the app linked by documented facts ("likely"), then the merchant
 * unlinks it, tries a wrong order id, and links it back by hand, through PUT / DELETE /api/payments/:id/order.
 */

const SHOP = "order-link-browser.myshopify.com";

describe("linking a payment's order by hand in the admin panel", () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: Error[] = [];
  let sessionId = "";
  let orderId = "";

  beforeAll(async () => {
    ensureSpaBuilt();
    [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
    const context = await newContext(browser, DESKTOP);
    page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const card = () => page.getByTestId("order-card");
  const toast = (text: string) => page.locator(".Polaris-Frame-Toast").filter({ hasText: text }).first();

  it("installs a shop, pays a checkout, and shows the order the app linked with how sure it is", async () => {
    await page.goto(`${t.url}/auth/install?shop=${SHOP}`);
    for (let step = 0; step < 4 && !new URL(page.url()).pathname.startsWith("/admin"); step += 1) {
      await page.locator("#install").click();
      await page.waitForURL((url) => url.pathname.startsWith("/admin") || url.pathname.endsWith("/oauth/authorize"));
    }
    expect(new URL(page.url()).pathname).toBe("/admin");
    // Shopify offers the app at checkout only once it said it is ready (paymentsAppConfigure(ready: true)).
    const activate = await page.request.fetch(`${t.url}/api/activate`, {
      method: "POST",
      headers: { "X-Requested-With": "pagoefectivo-admin", "Content-Type": "application/json" },
      data: "{}",
    });
    expect(activate.status(), await activate.text()).toBe(200);

    const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount: "163.40", currency: "PEN" });
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    sessionId = answer.body.id;
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${session.cip}/pay`, {})).status).toBe(200);
    const linked = await eventually(async () => (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: sessionId } })).orderId, 20_000);
    orderId = linked;

    await page.goto(`${t.url}/admin/payments/${encodeURIComponent(sessionId)}`);
    await card().getByTestId("payment-order").waitFor();
    expect(await card().getByTestId("order-link-confidence").getAttribute("data-confidence")).toBe("high");
    expect(await card().getByText("Vínculo probable").isVisible()).toBe(true);
    expect(await card().getByRole("button", { name: "Desvincular" }).isVisible()).toBe(true);
    await screenshot(page, "order-link-01-likely");
  });

  it("unlinks, refuses an order id the shop does not have in plain words, then links by hand", async () => {
    await card().getByRole("button", { name: "Desvincular" }).click();
    await toast("Pedido desvinculado").waitFor();
    await card().getByText("Desvinculaste el pedido").waitFor();
    expect(await card().getByTestId("payment-order").count()).toBe(0);
    expect(await card().getByText("Shopify todavía no creó el pedido.").count()).toBe(0);
    await page.locator(`[data-testid="timeline-entry"][data-type="order_unlinked"]`).waitFor();
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: sessionId } })).orderId).toBeNull();

    await card().getByRole("button", { name: "Vincular a un pedido" }).click();
    await page.locator("#order-link-id").fill("999999999");
    await card().getByRole("button", { name: "Vincular", exact: true }).click();
    await card().getByText("Tu tienda no tiene un pedido con ese ID.").waitFor();
    await screenshot(page, "order-link-02-not-found");

    await page.locator("#order-link-id").fill(orderId.split("/").pop() ?? "");
    await card().getByRole("button", { name: "Vincular", exact: true }).click();
    await toast("Pago vinculado al pedido").waitFor();
    await card().getByTestId("payment-order").waitFor();
    expect(await card().getByTestId("order-link-confidence").getAttribute("data-confidence")).toBe("merchant");
    expect(await card().getByText("Vinculado a mano").isVisible()).toBe(true);
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: sessionId } })).orderId).toBe(orderId);
    await screenshot(page, "order-link-03-by-hand");
    expect(errors).toEqual([]);
  });
});
