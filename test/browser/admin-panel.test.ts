import { readFileSync } from "node:fs";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { rucCheckDigit } from "../../app/domain/settlement/ruc";
import { eventually, startTestApp, type TestApp } from "../helpers/test-app";
import { DESKTOP, ensureSpaBuilt, launchChromium, newContext, PHONE, screenshot } from "./browser-harness";

/**
 * The merchant's whole path through the admin panel, in Spanish (the default) with a look at English
 * and at a phone: install through OAuth, credentials, connection test, notification URL, activation,
 * a paid checkout in Payments and its timeline, and a refund recorded (and one rejected) by hand.
 */

const SHOP = "browser-test.myshopify.com";
const SERVICE = { idService: 4321, accessKey: "BRWTEST01", secretKey: "browser-test-secret-key-123" };

interface Checkout {
  id: string;
  status: number;
  redirect_url: string | null;
}

describe("admin panel in a real browser", () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let notificationUrl = "";
  const paid: { sessionId: string; cip: string } = { sessionId: "", cip: "" };

  beforeAll(async () => {
    ensureSpaBuilt();
    // The onboarding a merchant goes through in production: the sandbox gives the new shop no emulator service.
    [t, browser] = await Promise.all([startTestApp({ env: { SANDBOX_PROVISION_SHOPS: "false" } }), launchChromium()]);
    context = await newContext(browser, DESKTOP);
    page = await context.newPage();
    page.on("pageerror", (error) => {
      throw error;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const nav = (name: string) => page.locator("nav").getByRole("link", { name, exact: false }).first();
  const card = (testId: string) => page.getByTestId(testId);
  const toast = (text: string) => page.locator(".Polaris-Frame-Toast").filter({ hasText: text }).first();

  async function checkout(amount: string): Promise<{ sessionId: string; cip: string }> {
    const answer = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { shop: SHOP, amount, currency: "PEN", test: true });
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    const html = await (await fetch(answer.body.redirect_url as string)).text();
    const cip = /data-testid="cip"[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, "") ?? "";
    expect(cip, html.replace(/<style[\s\S]*?<\/style>/g, "").slice(0, 3000)).toMatch(/^\d+$/);
    return { sessionId: answer.body.id, cip };
  }

  async function payAndWaitResolved(sale: { sessionId: string; cip: string }): Promise<void> {
    const pay = await t.json("POST", `/sandbox/pagoefectivo/cips/${sale.cip}/pay`, {});
    expect(pay.status, JSON.stringify(pay.body)).toBe(200);
    await eventually(async () => {
      const session = await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${sale.sessionId}`);
      return session.body.state === "resolved";
    }, 20_000);
  }

  async function noHorizontalOverflow(target: Page): Promise<number> {
    return target.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  it("installs on a new shop through OAuth and lands on the home checklist", async () => {
    await page.goto(`${t.url}/auth/install?shop=${SHOP}`);
    // Offline install, then the per-user login: the simulator shows its consent screen for each.
    for (let step = 0; step < 4 && !new URL(page.url()).pathname.startsWith("/admin"); step += 1) {
      await page.locator("#install").click();
      await page.waitForURL((url) => url.pathname.startsWith("/admin") || url.pathname.endsWith("/oauth/authorize"));
    }
    expect(new URL(page.url()).pathname).toBe("/admin");
    const steps = page.getByTestId("setup-steps");
    await steps.waitFor();
    expect(await steps.locator("li[data-complete=true]").count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Configura PagoEfectivo" }).isVisible()).toBe(true);
    expect(await page.getByText(SHOP).first().isVisible()).toBe(true);
    expect(await page.title()).toBe("Inicio · PagoEfectivo");
    await screenshot(page, "admin-01-home-setup");
  });

  it("shows the notification URL and validates the credential fields inline", async () => {
    await page.getByRole("link", { name: "Ingresar credenciales" }).click();
    await page.waitForURL((url) => url.pathname === "/admin/settings");
    const urlField = page.locator("#notification-url-field");
    await urlField.waitFor();
    notificationUrl = await urlField.inputValue();
    expect(notificationUrl).toMatch(new RegExp(`^${t.url}/webhooks/pagoefectivo/`));
    expect(await urlField.getAttribute("readonly")).not.toBeNull();
    // Nothing to activate before credentials are saved and tested.
    expect(await page.getByRole("button", { name: "Activar PagoEfectivo" }).isDisabled()).toBe(true);

    const sandbox = card("credentials-sandbox");
    expect(await sandbox.getByRole("button", { name: "Guardar" }).isDisabled()).toBe(true);
    await page.locator("#sandbox-idService").fill("1234567890");
    await expect.poll(() => sandbox.getByText("Ingresa un número entero de 1 a 9 cifras (por ejemplo, 20329).").isVisible()).toBe(true);
    await page.locator("#sandbox-accessKey").fill(SERVICE.accessKey);
    await sandbox.getByRole("button", { name: "Guardar" }).click();
    await expect.poll(() => sandbox.getByText("Ingresa la secret key.").isVisible()).toBe(true);
    await screenshot(page, "admin-02-settings-validation");
  });

  it("saves credentials, explains a failed connection test in plain words, then passes it", async () => {
    const register = await t.json("PUT", `/sandbox/pagoefectivo/services/${SERVICE.idService}`, {
      accessKey: SERVICE.accessKey,
      secretKey: SERVICE.secretKey,
      notificationUrl,
    });
    expect(register.status, JSON.stringify(register.body)).toBeLessThan(300);

    const sandbox = card("credentials-sandbox");
    await page.locator("#sandbox-idService").fill(String(SERVICE.idService));
    await page.locator("#sandbox-secretKey").fill("not-the-right-secret");
    await sandbox.getByRole("button", { name: "Guardar" }).click();
    await toast("Credenciales guardadas").waitFor();
    expect(await page.locator("#sandbox-secretKey").getAttribute("placeholder")).toBe("•••• guardada");
    expect(await page.locator("#sandbox-secretKey").inputValue()).toBe("");

    await sandbox.getByRole("button", { name: "Probar conexión" }).click();
    const failure = sandbox.locator(".Polaris-Banner").filter({ hasText: "No se pudo conectar con PagoEfectivo" });
    await failure.waitFor();
    expect((await failure.textContent())?.length ?? 0).toBeGreaterThan("No se pudo conectar con PagoEfectivo".length + 5);
    await screenshot(page, "admin-03-settings-connection-failed");
    expect(await page.getByRole("button", { name: "Activar PagoEfectivo" }).isDisabled()).toBe(true);

    await page.locator("#sandbox-secretKey").fill(SERVICE.secretKey);
    await sandbox.getByRole("button", { name: "Guardar" }).click();
    await toast("Credenciales guardadas").waitFor();
    await sandbox.getByRole("button", { name: "Probar conexión" }).click();
    await sandbox.getByText("PagoEfectivo aceptó las credenciales").waitFor();
    await expect.poll(() => sandbox.getByText("Verificadas", { exact: true }).isVisible()).toBe(true);
    await screenshot(page, "admin-04-settings-connection-ok");
  });

  it("validates the RUC and CIP lifetime, and saves the payment options", async () => {
    const options = card("payment-options");
    const valid = `2060123456${rucCheckDigit("2060123456")}`;
    const wrong = `2060123456${(rucCheckDigit("2060123456") + 1) % 10}`;
    await page.locator("#ruc").fill(wrong);
    await options.getByText("El dígito verificador no coincide").waitFor();
    await page.locator("#cipLifetimeHours").fill("100");
    await options.getByText("Ingresa un número entero de horas entre 1 y 72.").waitFor();
    await screenshot(page, "admin-05-settings-options-invalid");

    await page.locator("#ruc").fill(valid);
    await page.locator("#cipLifetimeHours").fill("24");
    await page.locator("#legalName").fill("Bodega Browser Test S.A.C.");
    await page.locator("#paymentConcept").fill("Compra en Browser Test");
    await options.getByRole("button", { name: "Guardar" }).click();
    await toast("Configuración guardada").waitFor();
    expect(await options.getByRole("button", { name: "Guardar" }).isDisabled()).toBe(true);
  });

  it("confirms the notification URL and activates PagoEfectivo", async () => {
    await page.getByRole("button", { name: "Ya registré esta URL en PagoEfectivo" }).click();
    await page.getByText("Registrada en PagoEfectivo el").waitFor();

    await page.locator("#externalHandle").fill("browser-test-001");
    await page.getByRole("button", { name: "Activar PagoEfectivo" }).click();
    await toast("PagoEfectivo activado").waitFor();
    await expect.poll(() => page.getByTestId("activation-state").textContent()).toMatch(/Activo/);
    await screenshot(page, "admin-06-settings-done");

    await nav("Inicio").click();
    await page.getByText("PagoEfectivo está activo en tu checkout").waitFor();
    await screenshot(page, "admin-07-home-ready");
  });

  it("lists a new checkout as pending, then as paid once the CIP is paid", async () => {
    const sale = await checkout("150.00");
    Object.assign(paid, sale);
    await nav("Pagos").click();
    const row = page.getByTestId("payment-row").first();
    await row.waitFor();
    const table = page.locator(".Polaris-IndexTable");
    await expect.poll(() => table.textContent()).toContain(sale.cip);
    expect(await table.textContent()).toContain("S/ 150.00");
    expect(await table.getByText("Pendiente").first().isVisible()).toBe(true);
    await screenshot(page, "admin-08-payments-pending");

    await payAndWaitResolved(sale);
    await eventually(async () => {
      await page.reload();
      await page.getByTestId("payment-row").first().waitFor();
      return (await page.locator(".Polaris-IndexTable").getByText("Pagado").count()) > 0;
    }, 20_000, 500);
    await screenshot(page, "admin-09-payments-paid");
  });

  it("filters, searches, sorts and exports the list through the address bar", async () => {
    await page.goto(`${t.url}/admin/payments?state=paid`);
    await page.getByTestId("payment-row").first().waitFor();
    expect(await page.getByText("Estado: Pagado").first().isVisible()).toBe(true);

    await page.goto(`${t.url}/admin/payments?state=expired`);
    await page.getByText("No hay pagos con estos filtros").waitFor();
    await screenshot(page, "admin-10-payments-no-results");

    await page.goto(`${t.url}/admin/payments?state=paid,pending`);
    const search = page.getByPlaceholder("Buscar por CIP, pedido o correo");
    await search.fill(paid.cip);
    await page.waitForURL((url) => url.searchParams.get("q") === paid.cip);
    await expect.poll(() => page.getByTestId("payment-row").count()).toBe(1);

    await page.getByRole("button", { name: "Importe" }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "amount");
    await screenshot(page, "admin-11-payments-filtered");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Exportar CSV" }).click()]);
    expect(download.url()).toContain("/api/payments/export.csv");
    expect(new URL(download.url()).searchParams.get("q")).toBe(paid.cip);
    const csv = readFileSync((await download.path()) as string, "utf8");
    expect(csv).toContain(paid.cip);
  });

  it("shows the payment's detail and its timeline with the signature check", async () => {
    await page.getByTestId("payment-row").first().locator("a").first().click();
    await page.waitForURL((url) => url.pathname.startsWith("/admin/payments/"));
    const timeline = page.getByTestId("timeline");
    await timeline.waitFor();
    expect(await page.getByTestId("payment-cip").textContent()).toBe(paid.cip);
    expect(await page.getByTestId("payment-amount").textContent()).toBe("S/ 150.00");
    expect(await timeline.getByTestId("timeline-entry").count()).toBeGreaterThanOrEqual(3);
    const notification = timeline.locator('[data-kind="notification"]').first();
    expect(await notification.getByText("Firma válida").isVisible()).toBe(true);
    await notification.getByRole("button", { name: "Ver detalle" }).click();
    await notification.getByText("Ocultar detalle").waitFor();
    const delivery = timeline.locator('[data-kind="delivery"]').last();
    expect(await delivery.isVisible()).toBe(true);
    await screenshot(page, "admin-12-payment-detail");
  });

  it("records a refund by hand: the row moves from 'Por atender' to 'Registrados'", async () => {
    const refund = await t.json<{ id: string; status: number }>("POST", `/sandbox/shopify/payment-sessions/${paid.sessionId}/refunds`, {
      amount: "150.00",
    });
    expect(refund.body.status, JSON.stringify(refund.body)).toBe(201);

    await nav("Reembolsos").click();
    const row = page.getByTestId("refund-row").first();
    await row.waitFor();
    expect(await page.locator(".Polaris-IndexTable").textContent()).toContain(paid.cip);
    // To pay the money back (Yape, transfer) the merchant needs the buyer: name, e-mail and phone.
    const customer = row.getByTestId("refund-customer").or(page.getByTestId("refund-customer")).first();
    expect(await customer.textContent()).toMatch(/María Quispe.*maria\.quispe@example\.pe.*\+?51987654321/);
    await screenshot(page, "admin-13-refunds-awaiting");

    await page.getByRole("button", { name: "Registrar reembolso" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.getByTestId("refund-customer").textContent()).toMatch(/María Quispe.*maria\.quispe@example\.pe/);
    expect(await dialog.getByRole("link", { name: "maria.quispe@example.pe" }).getAttribute("href")).toBe("mailto:maria.quispe@example.pe");
    expect(await page.locator("#refund-date").inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.locator("#refund-method").selectOption("yape");
    await dialog.getByRole("button", { name: "Registrar reembolso" }).click();
    await dialog.getByText("Escribe una referencia.").waitFor();
    // A refund "done" tomorrow is refused, in Spanish, before anything reaches Shopify.
    const appToday = await page.locator("#refund-date").inputValue();
    const tomorrow = new Date(Date.parse(`${appToday}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await page.locator("#refund-date").fill(tomorrow);
    await dialog.getByText(`La fecha del reembolso (${tomorrow}) es posterior a hoy (${appToday})`, { exact: false }).waitFor();
    await page.locator("#refund-date").fill(appToday);
    await page.locator("#refund-reference").fill("OP-778899");
    await page.locator("#refund-note").fill("Devuelto al celular del cliente");
    await screenshot(page, "admin-14-refund-record-modal");
    await dialog.getByRole("button", { name: "Registrar reembolso" }).click();
    await toast("Reembolso registrado").waitFor();
    await page.getByText("No hay reembolsos por atender").waitFor();

    await page.getByRole("tab", { name: "Registrados" }).click();
    await page.waitForURL((url) => url.searchParams.get("tab") === "resolved");
    const resolved = page.getByTestId("refund-row").first();
    await resolved.waitFor();
    const table = await page.locator(".Polaris-IndexTable").textContent();
    expect(table).toContain("Yape");
    expect(table).toContain("OP-778899");
    await screenshot(page, "admin-15-refunds-recorded");

    await eventually(async () => {
      const session = await t.json<{ state: string }>("GET", `/sandbox/shopify/refund-sessions/${refund.body.id}`);
      return session.body.state === "resolved";
    }, 20_000);
  });

  it("rejects a refund with a reason", async () => {
    const sale = await checkout("80.00");
    await payAndWaitResolved(sale);
    const refund = await t.json<{ id: string; status: number }>("POST", `/sandbox/shopify/payment-sessions/${sale.sessionId}/refunds`, {
      amount: "30.00",
    });
    expect(refund.body.status, JSON.stringify(refund.body)).toBe(201);

    await page.getByRole("tab", { name: "Por atender" }).click();
    await page.getByTestId("refund-row").first().waitFor();
    await page.getByRole("button", { name: "Rechazar" }).first().click();
    const dialog = page.getByRole("dialog");
    await page.locator("#refund-reject-reason").fill("El cliente aceptó un cambio de producto");
    await screenshot(page, "admin-16-refund-reject-modal");
    await dialog.getByRole("button", { name: "Rechazar reembolso" }).click();
    await toast("Reembolso rechazado").waitFor();
    await page.getByRole("tab", { name: "Rechazados" }).click();
    await page.getByText("El cliente aceptó un cambio de producto").waitFor();
    await screenshot(page, "admin-17-refunds-rejected");

    await eventually(async () => {
      const session = await t.json<{ state: string }>("GET", `/sandbox/shopify/refund-sessions/${refund.body.id}`);
      return session.body.state === "rejected";
    }, 20_000);

    // The paid payment's detail now lists its recorded refund.
    await page.goto(`${t.url}/admin/payments?q=${paid.cip}`);
    await page.getByTestId("payment-row").first().locator("a").first().click();
    await page.getByTestId("payment-refunds").waitFor();
    expect(await page.getByTestId("payment-refunds").textContent()).toContain("OP-778899");
    await screenshot(page, "admin-18-payment-detail-refunded");
  });

  it("switches to English from the top bar", async () => {
    await page.getByRole("button", { name: "Idioma" }).click();
    await page.getByRole("button", { name: "English" }).or(page.getByRole("menuitem", { name: "English" })).first().click();
    await nav("Payments").waitFor();
    expect(await page.getByRole("heading", { name: "Timeline" }).isVisible()).toBe(true);
    await screenshot(page, "admin-19-payment-detail-en");
    await nav("Payments").click();
    await page.getByTestId("payment-row").first().waitFor();
    expect(await page.locator(".Polaris-IndexTable").getByText("Paid").first().isVisible()).toBe(true);
    await screenshot(page, "admin-20-payments-en");
    await nav("Settings").click();
    await page.locator("#notification-url-field").waitFor();
    await screenshot(page, "admin-21-settings-en");

    await page.getByRole("button", { name: "Language" }).click();
    await page.getByRole("button", { name: "Español" }).or(page.getByRole("menuitem", { name: "Español" })).first().click();
    await nav("Pagos").waitFor();
  });

  it("fits a phone screen", async () => {
    const phone = await newContext(browser, PHONE);
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    await small.goto(`${t.url}/admin`);
    await small.getByText("PagoEfectivo está activo en tu checkout").waitFor();
    expect(await noHorizontalOverflow(small)).toBeLessThanOrEqual(0);
    await screenshot(small, "admin-22-phone-home");

    await small.goto(`${t.url}/admin/payments`);
    await small.getByTestId("payment-row").first().waitFor();
    expect(await noHorizontalOverflow(small)).toBeLessThanOrEqual(0);
    await screenshot(small, "admin-23-phone-payments");

    await small.getByTestId("payment-row").first().locator("a").first().click();
    await small.getByTestId("timeline").waitFor();
    expect(await noHorizontalOverflow(small)).toBeLessThanOrEqual(0);
    await screenshot(small, "admin-24-phone-payment-detail");

    await small.goto(`${t.url}/admin/settings`);
    await small.locator("#notification-url-field").waitFor();
    expect(await noHorizontalOverflow(small)).toBeLessThanOrEqual(0);
    await screenshot(small, "admin-25-phone-settings");
    await phone.close();
  });

  it("shows the app's clock in the sandbox banner, and date defaults follow it", async () => {
    await page.goto(`${t.url}/admin`);
    const clock = page.getByTestId("sandbox-clock");
    await clock.waitFor();
    const lima = (date: Date) => new Intl.DateTimeFormat("es-PE", { dateStyle: "medium", timeZone: "America/Lima" }).format(date);
    const before = await t.json<{ now: string }>("GET", "/sandbox/clock");
    expect(await clock.textContent()).toContain(lima(new Date(before.body.now)));
    await screenshot(page, "admin-26a-sandbox-clock");

    // Three days later by the app's clock: the banner and "today" follow the app, not the browser.
    const moved = await t.json<{ now: string }>("POST", "/sandbox/clock", { advanceSeconds: 3 * 24 * 3600 });
    expect(moved.status).toBe(200);
    await page.reload();
    await clock.waitFor();
    expect(await clock.textContent()).toContain(lima(new Date(moved.body.now)));
    expect(await clock.textContent()).not.toContain(lima(new Date()));
    const today = await page.getByRole("heading", { name: /^Hoy, / }).textContent();
    expect(today).toContain(lima(new Date(moved.body.now)));
    await screenshot(page, "admin-26b-sandbox-clock-moved");
  });

  it("logs out, and a later visit asks to sign in again", async () => {
    await page.goto(`${t.url}/admin`);
    await page.getByRole("button", { name: "Menú de la tienda" }).click();
    await page.getByRole("button", { name: "Cerrar sesión" }).or(page.getByRole("menuitem", { name: "Cerrar sesión" })).first().click();
    await page.getByRole("heading", { name: "Cerraste sesión" }).waitFor();
    const login = page.getByRole("link", { name: "Volver a iniciar sesión" });
    expect(await login.getAttribute("href")).toBe(`/auth/login?shop=${SHOP}`);
    await screenshot(page, "admin-26-logged-out");

    const api = await page.evaluate(async () => (await fetch("/api/session")).status);
    expect(api).toBe(401);
    await page.goto(`${t.url}/admin/payments`);
    await page.getByRole("heading", { name: "Sesión expirada" }).waitFor();
    await screenshot(page, "admin-27-session-expired");

    await login.click();
    await page.waitForURL((url) => url.pathname.startsWith("/admin") || url.pathname.endsWith("/oauth/authorize"));
    if (!new URL(page.url()).pathname.startsWith("/admin")) {
      await page.locator("#install").click();
      await page.waitForURL((url) => url.pathname.startsWith("/admin"));
    }
    await page.getByTestId("payment-row").or(page.getByText("PagoEfectivo está activo en tu checkout")).first().waitFor();
  });

  it("says so when there is no session at all", async () => {
    const stranger = await newContext(browser, DESKTOP);
    const fresh = await stranger.newPage();
    await fresh.goto(`${t.url}/admin`);
    // A first visit is not told that a session it never had expired.
    await fresh.getByRole("heading", { name: "Inicia sesión" }).waitFor();
    expect(await fresh.getByText("Sesión expirada").count()).toBe(0);
    expect(await fresh.getByRole("button", { name: "Iniciar sesión" }).isVisible()).toBe(true);
    expect(await fresh.getByLabel("Dominio de tu tienda").isVisible()).toBe(true);
    await screenshot(fresh, "admin-28-no-session");
    await stranger.close();
  });
});

