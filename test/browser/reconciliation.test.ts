import { readFileSync } from "node:fs";

import type { Browser, Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../helpers/test-app";
import { DESKTOP, ensureSpaBuilt, launchChromium, newContext, PHONE, screenshot } from "./browser-harness";

/**
 * Reconciliation and settlements in a real browser against the real server (sandbox): two paid checkouts
 * (one paid with a wrong amount through the emulator), the sandbox's sample settlement file downloaded and
 * imported through the mapping preview and progress bar, the exceptions seen and one resolved with a note,
 * the report with its chart, both CSV exports, and a payment's evidence bundle.
 */

const SHOP = "recon-browser.myshopify.com";
const SERVICE = { idService: 4711, accessKey: "RECONBRW01", secretKey: "recon-browser-secret-key-1" };
const CSRF = { "X-Requested-With": "pagoefectivo-admin" };

interface Checkout {
  id: string;
  status: number;
  redirect_url: string | null;
}

interface Sale {
  sessionId: string;
  cip: string;
}

describe("reconciliation and settlements in a real browser", () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: Error[] = [];
  const sales: { exact: Sale; short: Sale } = { exact: { sessionId: "", cip: "" }, short: { sessionId: "", cip: "" } };
  let sampleFile = "";

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

  const nav = (name: string) => page.locator("nav").getByRole("link", { name, exact: false }).first();
  const toast = (text: string) => page.locator(".Polaris-Frame-Toast").filter({ hasText: text }).first();

  /** The admin API with the browser's session cookie, as the SPA calls it. */
  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await page.request.fetch(`${t.url}${path}`, {
      method,
      headers: { ...(method === "GET" ? {} : CSRF), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { data: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status(), body: (text ? JSON.parse(text) : null) as T };
  }

  async function checkout(amount: string): Promise<Sale> {
    const answer = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount, currency: "PEN", test: true });
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    const html = await (await fetch(answer.body.redirect_url as string)).text();
    const cip = /data-testid="cip"[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, "") ?? "";
    expect(cip).toMatch(/^\d+$/);
    return { sessionId: answer.body.id, cip };
  }

  async function downloadOf(click: () => Promise<void>): Promise<Download> {
    const [download] = await Promise.all([page.waitForEvent("download"), click()]);
    return download;
  }

  it("installs, connects the sandbox credentials and shows both new pages in the navigation", async () => {
    await page.goto(`${t.url}/auth/install?shop=${SHOP}`);
    for (let step = 0; step < 4 && !new URL(page.url()).pathname.startsWith("/admin"); step += 1) {
      await page.locator("#install").click();
      await page.waitForURL((url) => url.pathname.startsWith("/admin") || url.pathname.endsWith("/oauth/authorize"));
    }
    expect(new URL(page.url()).pathname).toBe("/admin");

    // Onboarding is covered by admin-panel.test.ts; here it is done through the same API the panel uses.
    const settings = await api<{ notificationUrl: string }>("GET", "/api/settings");
    const register = await t.json("PUT", `/sandbox/pagoefectivo/services/${SERVICE.idService}`, {
      accessKey: SERVICE.accessKey,
      secretKey: SERVICE.secretKey,
      notificationUrl: settings.body.notificationUrl,
    });
    expect(register.status, JSON.stringify(register.body)).toBeLessThan(300);
    expect((await api("PUT", "/api/credentials/sandbox", SERVICE)).status).toBe(200);
    expect((await api<{ ok: boolean }>("POST", "/api/credentials/sandbox/test")).body.ok).toBe(true);
    expect((await api("POST", "/api/notification-url/confirm")).status).toBe(200);
    expect((await api("POST", "/api/activate", {})).status).toBe(200);

    await page.reload();
    await nav("Conciliación").waitFor();
    await nav("Liquidaciones").waitFor();
  });

  it("pays two checkouts in the sandbox, one of them with the wrong amount", async () => {
    sales.exact = await checkout("150.00");
    sales.short = await checkout("80.00");
    const exact = await t.json("POST", `/sandbox/pagoefectivo/cips/${sales.exact.cip}/pay`, { channel: "agente" });
    expect(exact.status, JSON.stringify(exact.body)).toBe(200);
    const short = await t.json("POST", `/sandbox/pagoefectivo/cips/${sales.short.cip}/pay`, { amount: "70.00", channel: "internet" });
    expect(short.status, JSON.stringify(short.body)).toBe(200);
    await eventually(async () => {
      const session = await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${sales.exact.sessionId}`);
      return session.body.state === "resolved";
    }, 20_000);
    // A payment of another amount is never resolved silently: the notification raises an exception.
    await eventually(async () => {
      const list = await api<{ items: Array<{ kind: string; cip: string | null }> }>("GET", "/api/reconciliation/exceptions?kind=amount_mismatch");
      return list.body.items.some((item) => item.cip === sales.short.cip);
    }, 20_000);
  });

  it("shows the wrong amount as an exception at a glance, and runs a reconciliation on demand", async () => {
    await nav("Conciliación").click();
    await page.waitForURL((url) => url.pathname === "/admin/reconciliation");
    await page.getByRole("button", { name: "Ejecutar conciliación ahora" }).click();
    await toast("Conciliación terminada").waitFor({ timeout: 30_000 });
    const mismatch = page.locator('[data-testid="exception-row"][data-kind="amount_mismatch"]').first();
    await mismatch.waitFor();
    expect(await page.getByTestId("open-by-kind").textContent()).toContain("Importe distinto");
    expect(await page.getByTestId("last-run").textContent()).toMatch(/Última conciliación/);
    await screenshot(page, "recon-01-exceptions-before-import");
  });

  it("downloads the sample settlement file (sandbox only) and imports it through the preview", async () => {
    await nav("Liquidaciones").click();
    await page.getByRole("tab", { name: "Importar" }).click();
    await page.waitForURL((url) => url.searchParams.get("tab") === "import");
    // The sample's own settings (columns, fee schedule, payout cycle) make its planted differences show.
    await page.getByRole("button", { name: "Usar columnas, tarifas y abonos de ejemplo" }).click();
    await toast("Configuración de ejemplo aplicada").waitFor();
    const sample = await downloadOf(() => page.getByRole("link", { name: "Descargar archivo de ejemplo" }).click());
    expect(new URL(sample.url()).pathname).toBe("/api/settlements/sample.csv");
    sampleFile = (await sample.path()) as string;
    const text = readFileSync(sampleFile, "utf8");
    expect(text).toContain(sales.exact.cip);
    await screenshot(page, "recon-02-import-start");

    await page.locator('[data-testid="settlement-upload"] input[type="file"]').setInputFiles({
      name: sample.suggestedFilename() || "liquidacion-ejemplo.csv",
      mimeType: "text/csv",
      buffer: readFileSync(sampleFile),
    });
    const preview = page.getByTestId("file-preview");
    await preview.waitFor();
    expect(await preview.textContent()).toContain(sales.exact.cip);
    // The mapping comes pre-filled from the file's headers (the server's suggestion).
    expect(await page.locator("#mapping-cip").inputValue()).not.toBe("");
    expect(await page.locator("#mapping-amount").inputValue()).not.toBe("");
    await screenshot(page, "recon-03-import-preview-mapping");

    await page.getByRole("button", { name: "Importar", exact: true }).click();
    await page.getByTestId("import-progress").or(page.getByTestId("import-result")).first().waitFor();
    await page.getByTestId("import-result").waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId("count-good").textContent())).toBeGreaterThanOrEqual(2);
    await screenshot(page, "recon-04-import-result");
    await page.getByTestId("import-row").first().waitFor();
  });

  it("importing the same file again changes nothing", async () => {
    await page.getByRole("button", { name: "Importar otro archivo" }).click();
    await page.locator('[data-testid="settlement-upload"] input[type="file"]').setInputFiles({
      name: "liquidacion-otra-vez.csv",
      mimeType: "text/csv",
      buffer: readFileSync(sampleFile),
    });
    await page.getByTestId("file-preview").waitFor();
    await page.getByTestId("already-imported").waitFor();
    await page.getByRole("button", { name: "Importar", exact: true }).click();
    await page.getByTestId("import-result").waitFor({ timeout: 60_000 });
    await page.getByTestId("import-duplicate").waitFor();
    await screenshot(page, "recon-05-import-duplicate");
  });

  it("reports bad rows with their line number and reason", async () => {
    await page.getByRole("button", { name: "Importar otro archivo" }).click();
    const header = "Código CIP;Monto;Moneda;Fecha de pago;Canal;Comisión;Neto;Fecha de abono;Nro. operación";
    const csv = [
      header,
      "98765432;12.00;PEN;2026-11-20 10:00:00;Agente;0.80;11.20;2026-11-25;700001",
      "98765433;doce;PEN;2026-11-20 11:00:00;Agente;0.80;11.20;2026-11-25;700002",
      ";15.00;PEN;2026-11-20 12:00:00;Agente;0.80;14.20;2026-11-25;700003",
    ].join("\r\n");
    await page.locator('[data-testid="settlement-upload"] input[type="file"]').setInputFiles({
      name: "liquidacion-con-errores.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${csv}\r\n`, "utf8"),
    });
    await page.getByTestId("file-preview").waitFor();
    await page.getByRole("button", { name: "Importar", exact: true }).click();
    await page.getByTestId("import-result").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("count-bad").textContent()).toBe("2");
    expect(await page.getByTestId("count-good").textContent()).toBe("1");
    const badRows = page.getByTestId("bad-rows");
    const lines = await badRows.locator("tbody tr").allTextContents();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^3\D/);
    expect(lines[1]).toMatch(/^4\D/);
    expect(await page.getByTestId("import-result-status").textContent()).toContain("Importado con errores");
    await screenshot(page, "recon-05b-import-bad-rows");
  });

  it("does not call a file with no good row 'Importado'", async () => {
    await page.getByRole("button", { name: "Importar otro archivo" }).click();
    const header = "Código CIP;Monto;Moneda;Fecha de pago;Canal;Comisión;Neto;Fecha de abono;Nro. operación";
    const csv = [header, "abc;doce;PEN;2026-11-20 10:00:00;Agente;0.80;11.20;2026-11-25;700010", ";;PEN;;;;;;"].join("\r\n");
    await page.locator('[data-testid="settlement-upload"] input[type="file"]').setInputFiles({
      name: "liquidacion-sin-filas-validas.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${csv}\r\n`, "utf8"),
    });
    await page.getByTestId("file-preview").waitFor();
    await page.getByRole("button", { name: "Importar", exact: true }).click();
    await page.getByTestId("import-result").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("count-good").textContent()).toBe("0");
    await page.getByTestId("import-nothing-read").waitFor();
    expect(await page.getByTestId("import-result-status").textContent()).toContain("Sin filas válidas");
    expect(await page.getByTestId("import-result-status").textContent()).not.toContain("Importado");
    await screenshot(page, "recon-05c-import-no-good-rows");
  });

  it("lists the exceptions with their evidence and resolves one with a note; the history keeps it", async () => {
    await nav("Conciliación").click();
    const mismatch = page.locator('[data-testid="exception-row"][data-kind="amount_mismatch"]').first();
    await mismatch.waitFor();
    await mismatch.click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTestId("exception-evidence").waitFor();
    expect(await dialog.getByTestId("exception-evidence").textContent()).toContain("S/ 70.00");
    expect(await dialog.getByTestId("exception-suggestion").textContent()).toMatch(/monto|importe/i);
    await screenshot(page, "recon-06-exception-detail");

    await dialog.getByRole("button", { name: "Marcar como resuelta" }).click();
    await dialog.getByText("Escribe una nota.").waitFor();
    await page.locator("#resolve-note").fill("Cliente pagó S/ 10.00 menos; se cobró la diferencia por Yape");
    await dialog.getByRole("button", { name: "Marcar como resuelta" }).click();
    await toast("Excepción resuelta").waitFor();
    await dialog.getByTestId("exception-resolution-note").waitFor();
    await screenshot(page, "recon-07-exception-resolved");
    await dialog.locator("button").filter({ hasText: "Cerrar" }).click();

    await page.getByRole("tab", { name: "Resueltas" }).click();
    await page.waitForURL((url) => url.searchParams.get("status") === "resolved");
    await page.locator('[data-testid="exception-row"][data-kind="amount_mismatch"]').first().click();
    expect(await page.getByTestId("exception-resolution-note").textContent()).toContain("Yape");
    await page.getByRole("dialog").locator("button").filter({ hasText: "Cerrar" }).click();
    await screenshot(page, "recon-08-exceptions-resolved-tab");

    await page.getByRole("tab", { name: "Todas" }).click();
    await page.waitForURL((url) => url.searchParams.get("status") === "all");
    const exported = await downloadOf(() => page.getByRole("link", { name: "Exportar CSV" }).click());
    expect(new URL(exported.url()).pathname).toContain("/api/reconciliation/exceptions/export.csv");
    expect(readFileSync((await exported.path()) as string, "utf8")).toContain(sales.short.cip);
  });

  it("shows the report with a chart and tables, the upcoming payouts, and exports it", async () => {
    await nav("Liquidaciones").click();
    await page.waitForURL((url) => url.pathname === "/admin/settlements");
    const chart = page.getByTestId("settlement-chart-PEN");
    await chart.waitFor();
    await chart.locator("svg").first().waitFor();
    expect(await page.getByTestId("total-gross-PEN").textContent()).toMatch(/^S\/ /);
    expect(await page.getByTestId("report-by-channel").textContent()).toContain("PEN");
    await screenshot(page, "recon-09-report-day");

    await page.getByRole("button", { name: "Mes" }).click();
    await page.waitForURL((url) => url.searchParams.get("granularity") === "month");
    await chart.locator("svg").first().waitFor();
    await screenshot(page, "recon-10-report-month");

    await page.getByRole("button", { name: "Semana" }).click();
    await page.waitForURL((url) => url.searchParams.get("granularity") === "week");
    await chart.locator("svg").first().waitFor();
    expect(await page.getByTestId("report-by-channel").textContent()).toContain("Agente");
    await page.getByRole("button", { name: "Mes" }).click();
    await page.locator("#report-basis").selectOption("payout");
    await page.waitForURL((url) => url.searchParams.get("basis") === "payout");
    await chart.locator("svg").first().waitFor();

    const exported = await downloadOf(() => page.getByRole("link", { name: "Exportar CSV", exact: true }).click());
    const exportUrl = new URL(exported.url());
    expect(exportUrl.searchParams.get("basis")).toBe("payout");
    expect(exportUrl.pathname).toBe("/api/reports/settlements/export.csv");
    expect(exportUrl.searchParams.get("granularity")).toBe("month");
    expect(readFileSync((await exported.path()) as string, "utf8")).toMatch(/TOTAL/);
    const upcoming = await downloadOf(() => page.getByRole("link", { name: "Exportar próximos abonos (CSV)" }).click());
    expect(new URL(upcoming.url()).pathname).toBe("/api/reports/upcoming-payouts/export.csv");
  });

  it("edits the fee schedule and the payout cycle", async () => {
    await page.getByRole("tab", { name: "Tarifas y abonos" }).click();
    await page.getByTestId("payout-cycle").waitFor();
    await page.getByRole("button", { name: "Agregar tarifa" }).click();
    await page.locator("#fee-percent").fill("2.89");
    await page.locator("#fee-fixed").fill("0.50");
    await page.getByRole("button", { name: "Agregar tarifa" }).click();
    await toast("Tarifa agregada").waitFor();
    // The toast comes with the saved answer; the table shows the new row once its list is fetched again.
    await page.getByTestId("fee-schedule").getByText("2.89 %").waitFor({ timeout: 10_000 });

    // The sample set-up filled the cycle in; a new channel row goes last.
    const rows = await page.locator('input[id^="payout-channel-days-"]').count();
    await page.getByRole("button", { name: "Agregar canal" }).click();
    await page.locator(`#payout-channel-${rows}`).fill("Yape");
    await page.locator(`#payout-channel-days-${rows}`).fill("2");
    await page.getByTestId("payout-cycle").getByRole("button", { name: "Guardar" }).click();
    await toast("Ciclo de abono guardado").waitFor();
    await screenshot(page, "recon-11-fees");
  });

  it("shows the linked order on the payment and downloads its evidence bundle", async () => {
    await page.goto(`${t.url}/admin/payments/${encodeURIComponent(sales.exact.sessionId)}`);
    await page.getByTestId("payment-order").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("payment-order-status").textContent()).toMatch(/Pagado/);
    const evidence = await downloadOf(() => page.getByRole("link", { name: "Descargar evidencia" }).click());
    expect(new URL(evidence.url()).pathname).toBe(`/api/payments/${sales.exact.sessionId}/evidence`);
    const bundle = JSON.parse(readFileSync((await evidence.path()) as string, "utf8")) as unknown;
    expect(JSON.stringify(bundle)).toContain(sales.exact.cip);
    await screenshot(page, "recon-12-payment-evidence");

    // The short payment lists what reconciliation found about it, linked to the exception's detail.
    await page.goto(`${t.url}/admin/payments/${encodeURIComponent(sales.short.sessionId)}`);
    const found = page.locator('[data-testid="payment-exception"][data-kind="amount_mismatch"]');
    await found.waitFor();
    await found.getByRole("link").click();
    await page.getByRole("dialog").getByTestId("exception-resolution-note").waitFor();
    await screenshot(page, "recon-12b-payment-exception-link");
  });

  it("fits a phone and reads in English", async () => {
    const phone = await newContext(browser, PHONE);
    await phone.addCookies(await page.context().cookies());
    const small = await phone.newPage();
    small.on("pageerror", (error) => errors.push(error));
    await small.goto(`${t.url}/admin/reconciliation?status=all`);
    await small.getByTestId("exception-row").first().waitFor();
    expect(await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(small, "recon-13-phone-exceptions");
    await small.goto(`${t.url}/admin/settlements?lang=en`);
    await small.getByTestId("settlement-chart-PEN").waitFor();
    await small.getByText("Gross and net per period (PEN)").waitFor();
    expect(await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screenshot(small, "recon-14-phone-report-en");
    await phone.close();
    expect(errors.map((error) => error.message)).toEqual([]);
  });
});
