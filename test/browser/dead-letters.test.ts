import { randomUUID } from "node:crypto";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signIn } from "../helpers/admin-browser";
import { eventually, startTestApp, type TestApp } from "../helpers/test-app";
import { DESKTOP, ensureSpaBuilt, launchChromium, newContext, screenshot } from "./browser-harness";

/** The dead-letters page (issue #10): a given-up delivery is shown with its last error and sent again. */
describe("dead-letters page", () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
  let jobId = "";

  beforeAll(async () => {
    ensureSpaBuilt();
    [t, browser] = await Promise.all([startTestApp({ env: { SCHEDULER_ENABLED: "false" } }), launchChromium()]);
    const { trail } = await signIn(t, DEMO_SHOP, "login");
    context = await newContext(browser, DESKTOP);
    await context.addCookies([{ name: "pe_admin", value: trail.adminCookie, url: t.url }]);
    page = await context.newPage();
    page.on("pageerror", (error) => {
      throw error;
    });
    // A paid checkout whose resolve Shopify never took: stored as the worker leaves a given-up job.
    const checkout = await t.json<{ id: string }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "45.00", currency: "PEN" });
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: checkout.body.id } });
    await eventually(async () => (await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: session.id, status: "done" } })) >= 1);
    jobId = randomUUID();
    const now = new Date();
    await t.app.db.prisma.outboxJob.create({
      data: {
        id: jobId,
        kind: "payment_session.pending",
        shopId: shop.id,
        paymentSessionId: session.id,
        payloadJson: JSON.stringify({ paymentSessionId: session.id }),
        dedupeKey: `test-dead-letter:${jobId}`,
        status: "failed",
        attempts: 17,
        nextAttemptAt: now,
        lastError: "gave up after ~30 h: server_error: Shopify answered HTTP 500 to paymentSessionPending",
        createdAt: new Date(now.getTime() - 31 * 3600_000),
        completedAt: now,
      },
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("lists the failed delivery in Spanish and sends it again", async () => {
    await page.goto(`${t.url}/admin/dead-letters`);
    await page.getByRole("heading", { name: "Envíos fallidos" }).first().waitFor();
    // The reason in the merchant's words; the outbox's English line only as the technical detail.
    await page.getByTestId("dead-letter-reason").filter({ hasText: "Shopify no respondió o tuvo un error" }).waitFor();
    expect(await page.getByText("HTTP 500 to paymentSessionPending").isVisible()).toBe(false);
    await page.getByText("Detalle técnico").click();
    await page.getByText("HTTP 500 to paymentSessionPending").waitFor();
    expect(await page.getByText("Pago pendiente").count()).toBeGreaterThan(0);
    expect(await page.locator("nav").getByRole("link", { name: "Envíos fallidos" }).count()).toBe(1);
    await screenshot(page, "dead-letters-es");
    await page.getByRole("button", { name: "Volver a enviar" }).click();
    await page.locator(".Polaris-Frame-Toast").filter({ hasText: "Reenviado" }).first().waitFor();
    await page.getByText("No hay envíos fallidos").waitFor();
    await screenshot(page, "dead-letters-es-empty");
    await eventually(async () => (await t.app.db.prisma.outboxJob.findUniqueOrThrow({ where: { id: jobId } })).status !== "failed");
  });

  it("speaks English", async () => {
    await page.goto(`${t.url}/admin/dead-letters?lang=en`);
    await page.getByRole("heading", { name: "Failed deliveries" }).first().waitFor();
    await screenshot(page, "dead-letters-en");
  });
});
