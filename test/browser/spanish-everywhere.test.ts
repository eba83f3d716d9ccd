import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../helpers/test-app";
import { DESKTOP, ensureSpaBuilt, launchChromium, newContext, screenshot } from "./browser-harness";

/**
 * No English reaches the Spanish panel: every page of the panel and its main error paths, walked in a real
 * browser in Spanish, are read (visible text, placeholders, labels for assistive tech, the tab's title) and
 * any word from a list of common English words fails the test, naming the page and the sentence.
 */

const SHOP = "tienda-espanol.myshopify.com";
const SERVICE = { idService: 4713, accessKey: "ESPANOL001", secretKey: "espanol-browser-secret-key" };
const CSRF = { "X-Requested-With": "pagoefectivo-admin" };

/**
 * Common English words that are not Spanish words too (so "no", "total", "error", "final" are not here:
 * they are Spanish as well). Proper nouns (PagoEfectivo, Shopify, CIP, Yape) are not English words.
 */
const ENGLISH = new Set(
  (
    "the and of to for with from your you this that these those is are was were be been has have had will would should could " +
    "can cannot not it its if or on at by an as into than then there their they we our which what when where who why how " +
    "payment payments file files save saved cancel cancelled loading load please must invalid required missing unknown failed " +
    "failure success successful settings setting refund refunds order orders status pending paid expired amount date dates " +
    "export download upload search filter close open view back next previous page more less new name email phone customer " +
    "reason none yes all any some each every only also just again try retry went wrong something nothing found sign login " +
    "logout session expired shop store help learn credentials connection test tested activate deactivate enabled disabled " +
    "settlement settlements reconciliation report reports fees fee payout payouts channel unknown rows row column columns " +
    "first last empty upload choose select selected confirm confirmed delete remove edit add added update updated created " +
    "received sent send request requested done ready waiting queued running imported importing failed here read " +
    "unpaid gave after answered delivery deliveries attempt attempts never buyer cancelled reversed mismatch detected " +
    "resolved link linked unlinked insights shoppers chose within hour hours channel agent wallet bank"
  ).split(/\s+/),
);

describe("Spanish everywhere in the panel", () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const findings: string[] = [];
  let sale = { id: "", cip: "" };


  beforeAll(async () => {
    ensureSpaBuilt();
    [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
    page = await (await newContext(browser, DESKTOP)).newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await page.request.fetch(`${t.url}${path}`, {
      method,
      headers: { ...(method === "GET" ? {} : CSRF), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { data: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status(), body: (text ? JSON.parse(text) : null) as T };
  }

  /** Every English word on the page, with the sentence it is in. */
  async function englishOn(where: string): Promise<void> {
    // Let lazy pages and answers arrive.
    await page.waitForLoadState("networkidle").catch(() => undefined);
    await page.waitForTimeout(300);
    const texts = await page.evaluate(() => {
      const out: string[] = [document.title, document.body.innerText];
      for (const element of Array.from(document.querySelectorAll("[placeholder],[aria-label],[title],img[alt]"))) {
        for (const attribute of ["placeholder", "aria-label", "title", "alt"]) {
          const value = element.getAttribute(attribute);
          if (value) out.push(value);
        }
      }
      return out;
    });
    for (const line of texts.join("\n").split(/\n+/)) {
      // Data the merchant or the stand-ins wrote (URLs and paths, handles, e-mails, ids) is not the panel's words.
      const words = line
        .replace(/https?:\/\/\S+|\S*\/\S*\/\S*|\S+@\S+|\S+\.myshopify\.com|\b[\w-]*\d[\w-]*\b|\b\w+[._]\w+(?:[._]\w+)*\b/g, " ")
        .split(/[^A-Za-zÁÉÍÓÚÜÑáéíóúüñ']+/)
        .filter(Boolean);
      const english = words.filter((word) => ENGLISH.has(word.toLowerCase()));
      if (english.length > 0) findings.push(`${where}: "${line.trim().slice(0, 160)}" (${[...new Set(english)].join(", ")})`);
    }
  }

  async function visit(path: string, where: string, ready?: string): Promise<void> {
    await page.goto(`${t.url}${path}`);
    if (ready) await page.getByText(ready, { exact: false }).first().waitFor();
    await englishOn(where);
  }

  it("walks the first visit, install and every page before any setup", async () => {
    await page.goto(`${t.url}/admin`);
    await englishOn("first visit to /admin (signed out)");
    // The consent screen is the Shopify simulator's (Shopify's own page in production), not the panel.
    await page.goto(`${t.url}/auth/install?shop=${SHOP}`);
    for (let step = 0; step < 4 && !new URL(page.url()).pathname.startsWith("/admin"); step += 1) {
      await page.locator("#install").click();
      await page.waitForURL((url) => url.pathname.startsWith("/admin") || url.pathname.endsWith("/oauth/authorize"));
    }
    expect(new URL(page.url()).pathname).toBe("/admin");
    await englishOn("home, not set up");
    for (const [path, where] of [
      ["/admin/settings", "settings, empty"],
      ["/admin/payments", "payments, empty"],
      ["/admin/refunds", "refunds, empty"],
      ["/admin/reconciliation", "reconciliation, empty"],
      ["/admin/settlements", "settlements report, empty"],
      ["/admin/settlements?tab=insights", "insights, empty"],
      ["/admin/settlements?tab=import", "settlement import"],
      ["/admin/settlements?tab=fees", "fees and payouts"],
      ["/admin/dead-letters", "dead letters"],
      ["/admin/no-such-page", "unknown page"],
      ["/admin/payments/sin-pago-000", "unknown payment"],
    ] as const) {
      await visit(path, where);
    }
  }, 180_000);

  it("walks the settings errors: bad fields, a failed connection test", async () => {
    await page.goto(`${t.url}/admin/settings`);
    await page.locator("#sandbox-idService").fill("1234567890");
    await page.locator("#sandbox-accessKey").fill(SERVICE.accessKey);
    await page.getByTestId("credentials-sandbox").getByRole("button", { name: "Guardar" }).click();
    await englishOn("settings, invalid credential fields");
    const settings = await api<{ notificationUrl: string }>("GET", "/api/settings");
    const register = await t.json("PUT", `/sandbox/pagoefectivo/services/${SERVICE.idService}`, { ...SERVICE, notificationUrl: settings.body.notificationUrl });
    expect(register.status).toBeLessThan(300);
    expect((await api("PUT", "/api/credentials/sandbox", { ...SERVICE, secretKey: "not-the-right-secret" })).status).toBe(200);
    await page.reload();
    await page.getByTestId("credentials-sandbox").getByRole("button", { name: "Probar conexión" }).click();
    await page.getByText("No se pudo conectar con PagoEfectivo").first().waitFor();
    await englishOn("settings, failed connection test");
    await page.locator("#ruc").fill("20601234567");
    await page.locator("#cipLifetimeHours").fill("100");
    await englishOn("settings, invalid RUC and lifetime");
    await page.locator("#cipLifetimeHours").fill("24");
  }, 120_000);

  it("walks every page with data: payments, an expired payment, order link, dead letters, reconciliation, reports", async () => {
    expect((await api("PUT", "/api/credentials/sandbox", SERVICE)).status).toBe(200);
    expect((await api<{ ok: boolean }>("POST", "/api/credentials/sandbox/test")).body.ok).toBe(true);
    expect((await api("POST", "/api/notification-url/confirm")).status).toBe(200);
    expect((await api("POST", "/api/activate", {})).status).toBe(200);
    const checkout = async (amount: string) => {
      const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount, currency: "PEN", test: true });
      expect(answer.body.status).toBe(201);
      const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: answer.body.id } });
      return { id: session.id, cip: session.cip ?? "" };
    };
    sale = await checkout("150.00");
    const short = await checkout("80.00");
    await checkout("60.00");
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${sale.cip}/pay`, {})).status).toBe(200);
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${short.cip}/pay`, { amount: "70.00" })).status).toBe(200);
    await eventually(async () => (await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${sale.id}`)).body.state === "resolved", 20_000);
    await eventually(async () => (await api<{ items: unknown[] }>("GET", "/api/reconciliation/exceptions")).body.items.length > 0, 20_000);

    // A code that expires unpaid: the payment shows why it was rejected and its order's status, in Spanish.
    const expiring = await checkout("60.00");
    await eventually(async () => (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: expiring.id } })).orderId, 20_000);
    await t.json("POST", "/sandbox/clock", { advanceSeconds: 49 * 3600 });
    await eventually(async () => (await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${expiring.id}`)).body.state === "rejected", 30_000);
    await visit(`/admin/payments/${encodeURIComponent(expiring.id)}`, "expired payment detail", "El CIP venció sin pagarse.");
    expect(await page.getByTestId("payment-order-status").textContent()).toBe("Sin pago");
    // The order link dialog.
    await page.getByTestId("order-card").getByRole("button", { name: "Cambiar pedido" }).click();
    await page.locator("#order-link-id").fill("999999999");
    await page.getByTestId("order-card").getByRole("button", { name: "Vincular", exact: true }).click();
    await page.getByText("Tu tienda no tiene un pedido con ese ID.").waitFor();
    await englishOn("order link, an order the shop does not have");
    // A delivery to Shopify given up: its reason in words, the outbox's English line folded away.
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await t.app.db.prisma.outboxJob.create({
      data: {
        id: "spanish-dead-letter",
        kind: "payment_session.pending",
        shopId: shop.id,
        paymentSessionId: short.id,
        payloadJson: JSON.stringify({ paymentSessionId: short.id }),
        dedupeKey: "spanish-dead-letter",
        status: "failed",
        attempts: 17,
        nextAttemptAt: new Date(),
        lastError: "gave up after ~30 h: server_error: Shopify answered HTTP 500 to paymentSessionPending",
        createdAt: new Date(),
        completedAt: new Date(),
      },
    });
    await visit("/admin/dead-letters", "dead letters with one given up", "Volver a enviar");

    await visit("/admin", "home with payments");
    await visit("/admin/payments", "payments list", "S/ 150.00");
    await visit(`/admin/payments/${encodeURIComponent(sale.id)}`, "payment detail", sale.cip);
    await visit("/admin/reconciliation", "reconciliation with an exception");
    await page.locator('[data-testid="exception-row"][data-kind="amount_mismatch"]').first().click();
    await page.getByRole("dialog").getByTestId("exception-evidence").waitFor();
    await englishOn("exception detail");
    await page.keyboard.press("Escape");
    await visit("/admin/settlements?tab=insights", "insights with payments");
    await visit("/admin/settlements?from=2026-12-10&to=2026-12-01", "report with a reversed period");
  }, 120_000);

  it("walks the import errors: a PDF, an empty CSV, random bytes as .xlsx, each said in one sentence", async () => {
    const cases = [
      ["estado.pdf", "application/pdf", Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"), "«estado.pdf» es un PDF y no se puede leer."],
      ["vacio.csv", "text/csv", Buffer.alloc(0), "El archivo está vacío."],
      [
        "liquidacion.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256)),
        "«liquidacion.xlsx» no es un CSV ni un Excel (.xlsx) que se pueda leer",
      ],
    ] as const;
    for (const [name, type, body, sentence] of cases) {
      await page.goto(`${t.url}/admin/settlements?tab=import`);
      await page.locator('input[type="file"]').setInputFiles({ name, mimeType: type, buffer: body });
      await page.getByText(sentence, { exact: false }).first().waitFor();
      // Each names the file expected: the portal's CSV or Excel export.
      expect(await page.getByText(sentence, { exact: false }).first().textContent()).toContain("CSV o Excel (.xlsx)");
      // Nothing went on to the preview and its column mapping.
      expect(await page.getByText("Columnas del archivo").count()).toBe(0);
      await englishOn(`import of ${name}`);
      await screenshot(page, `spanish-import-${name.replace(/\W/g, "-")}`);
    }
  }, 120_000);

  it("walks a refund refused for a future date and the signed-out screen", async () => {
    const refund = await t.json<{ status: number }>("POST", `/sandbox/shopify/payment-sessions/${sale.id}/refunds`, { amount: "10.00" });
    expect(refund.body.status, JSON.stringify(refund.body)).toBe(201);
    await visit("/admin/refunds", "refunds with one to record", sale.cip);
    await page.getByRole("button", { name: "Registrar reembolso" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Registrar reembolso" }).click();
    const appToday = await page.locator("#refund-date").inputValue();
    await page.locator("#refund-date").fill(new Date(Date.parse(`${appToday}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
    await dialog.getByText("es posterior a hoy", { exact: false }).waitFor();
    await englishOn("refund dialog, a future date and no reference");
    await page.context().clearCookies();
    await page.goto(`${t.url}/admin/payments`);
    await englishOn("signed out");
    await screenshot(page, "spanish-signed-out");
    expect(findings, `English on the Spanish panel:\n${findings.join("\n")}`).toEqual([]);
  }, 60_000);
});
