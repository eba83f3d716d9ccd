/**
 * The sandbox page's script (browser code, compiled by scripts/build-browser-scripts.mjs). It reads the
 * control API's base URL from <body data-sandbox-url>, and writes every piece of data into the page
 * with textContent (links get an href only after an http(s) check), never HTML, so nothing a control
 * API returns can run as code.
 *
 * GET /sandbox/pagoefectivo/cips is read both as a bare array and as {cips: [...]}, since the emulator
 * wraps its list in an object.
 */

interface EmulatorCip {
  cip?: unknown;
  status?: unknown;
  amount?: unknown;
  currency?: unknown;
  dateExpiry?: unknown;
  cipUrl?: unknown;
}

interface SimulatedSession {
  state?: unknown;
  mutations?: { name?: unknown; at?: unknown; variables?: unknown; result?: unknown }[];
}

const CLOCK_REFRESH_MS = 10_000;
const base = (document.body.dataset.sandboxUrl ?? "").replace(/\/+$/, "");
let sessionId = "";
let lastSessionJson = "";

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

function el(tag: string, text?: unknown, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function isHttpUrl(url: unknown): url is string {
  return typeof url === "string" && /^https?:\/\//i.test(url);
}

function pretty(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function show(id: string, value: unknown): void {
  byId(id).textContent = pretty(value);
}

function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function log(line: string, ok: boolean): void {
  const list = byId("activity");
  list.insertBefore(el("li", `${new Date().toLocaleTimeString()}  ${line}`, ok ? "" : "bad"), list.firstChild);
  while (list.children.length > 60 && list.lastChild) list.removeChild(list.lastChild);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function call(method: string, path: string, body?: unknown, quiet = false): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/json" };
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(base + path, init);
  } catch (error) {
    log(`${method} ${path} -> network error: ${errorText(error)}`, false);
    throw error;
  }
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: shown as text.
  }
  if (!quiet || !response.ok) log(`${method} ${path} -> ${response.status}`, response.ok);
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${pretty(data)}`);
  return data;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined;
}

function needSession(): boolean {
  if (sessionId) return true;
  log("Create a checkout first, or paste a payment session id.", false);
  return false;
}

function setSession(id: unknown): void {
  sessionId = String(id ?? "").trim();
  byId<HTMLInputElement>("session-id").value = sessionId;
  lastSessionJson = "";
  byId("session-state").textContent = sessionId ? "..." : "-";
  clear(byId("mutations"));
  clear(byId("cips"));
  byId("cips-empty").hidden = false;
}

// "2026-12-04 05:00:00": Sweden's format is ISO-like, and Lima's zone comes from the browser's Intl.
const LIMA = new Intl.DateTimeFormat("sv-SE", { timeZone: "America/Lima", dateStyle: "short", timeStyle: "medium" });

/** The same text the server rendered (sandbox-page.ts clockText/offsetText). */
function showClock(answer: unknown): void {
  const now = field(answer, "now");
  const offset = Number(field(answer, "offsetSeconds"));
  const date = typeof now === "string" ? new Date(now) : null;
  const clock = byId("clock-now");
  if (!date || Number.isNaN(date.getTime())) {
    clock.textContent = pretty(answer);
    return;
  }
  clock.textContent = `${LIMA.format(date)} Lima (${date.toISOString().slice(11, 19)} UTC)`;
  clock.setAttribute("datetime", date.toISOString());
  const hours = Number.isFinite(offset) ? Number((offset / 3600).toFixed(2)) : 0;
  byId("clock-offset").textContent = hours === 0 ? "(real time)" : `(real time ${hours > 0 ? "+" : "-"} ${Math.abs(hours)} h)`;
}

async function refreshClock(): Promise<void> {
  try {
    showClock(await call("GET", "/sandbox/clock", undefined, true));
  } catch (error) {
    byId("clock-now").textContent = errorText(error);
  }
}

async function refreshCips(quiet: boolean): Promise<void> {
  if (!sessionId) return;
  const answer = await call("GET", `/sandbox/pagoefectivo/cips?transactionCode=${encodeURIComponent(sessionId)}`, undefined, quiet);
  const list = field(answer, "cips");
  const cips: EmulatorCip[] = Array.isArray(answer) ? answer : Array.isArray(list) ? list : [];
  const body = byId("cips");
  clear(body);
  byId("cips-empty").hidden = cips.length > 0;
  for (const c of cips) {
    const row = document.createElement("tr");
    row.appendChild(el("td", c.cip, "mono"));
    row.appendChild(el("td", c.status));
    row.appendChild(el("td", `${String(c.amount)} ${String(c.currency)}`));
    row.appendChild(el("td", c.dateExpiry));
    const actions = document.createElement("td");
    const buttons: { label: string; action: string; payload: unknown }[] = [
      { label: "Pay", action: "pay", payload: {} },
      { label: "Expire", action: "expire", payload: undefined },
    ];
    for (const spec of buttons) {
      const button = el("button", spec.label) as HTMLButtonElement;
      button.type = "button";
      button.addEventListener("click", async () => {
        try {
          await call("POST", `/sandbox/pagoefectivo/cips/${encodeURIComponent(String(c.cip))}/${spec.action}`, spec.payload);
        } catch {
          // Logged by call().
        }
        await refreshAll(false);
      });
      actions.appendChild(button);
    }
    if (isHttpUrl(c.cipUrl)) {
      const voucher = el("a", "Voucher") as HTMLAnchorElement;
      voucher.href = c.cipUrl;
      voucher.target = "_blank";
      voucher.rel = "noopener noreferrer";
      actions.appendChild(voucher);
    }
    row.appendChild(actions);
    body.appendChild(row);
  }
}

async function refreshSession(quiet: boolean): Promise<void> {
  if (!sessionId) return;
  const answer = (await call("GET", `/sandbox/shopify/payment-sessions/${encodeURIComponent(sessionId)}`, undefined, quiet)) as SimulatedSession | null;
  const json = JSON.stringify(answer);
  if (json === lastSessionJson) return;
  lastSessionJson = json;
  byId("session-state").textContent = answer?.state ? pretty(answer.state) : "-";
  const list = byId("mutations");
  clear(list);
  const mutations = Array.isArray(answer?.mutations) ? answer.mutations : [];
  byId("mutations-empty").hidden = mutations.length > 0;
  for (const m of mutations) {
    const item = document.createElement("li");
    const details = document.createElement("details");
    details.appendChild(el("summary", `${String(m.name)}  ${String(m.at ?? "")}`));
    details.appendChild(el("div", "variables", "label"));
    details.appendChild(el("pre", pretty(m.variables)));
    details.appendChild(el("div", "result", "label"));
    details.appendChild(el("pre", pretty(m.result)));
    item.appendChild(details);
    list.appendChild(item);
  }
}

async function refreshAll(quiet: boolean): Promise<void> {
  await refreshSession(quiet).catch(() => undefined);
  await refreshCips(quiet).catch(() => undefined);
}

byId<HTMLFormElement>("checkout-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body: Record<string, unknown> = {
    shop: byId<HTMLSelectElement>("checkout-shop").value,
    amount: byId<HTMLInputElement>("checkout-amount").value.trim(),
    currency: byId<HTMLSelectElement>("checkout-currency").value,
    test: byId<HTMLInputElement>("checkout-test").checked,
    locale: byId<HTMLSelectElement>("checkout-locale").value,
  };
  if (byId<HTMLInputElement>("checkout-without-phone").checked) body.withoutPhone = true;
  const link = byId<HTMLAnchorElement>("buyer-link");
  link.hidden = true;
  link.removeAttribute("href");
  try {
    const r = await call("POST", "/sandbox/shopify/checkouts", body);
    show("checkout-result", r);
    setSession(field(r, "id"));
    const redirect = field(r, "redirect_url");
    if (isHttpUrl(redirect)) {
      link.href = redirect;
      link.hidden = false;
    }
    byId<HTMLInputElement>("refund-amount").value = String(body.amount);
    await refreshAll(false);
  } catch (error) {
    show("checkout-result", errorText(error));
  }
});

byId("session-id").addEventListener("change", () => {
  setSession(byId<HTMLInputElement>("session-id").value);
  void refreshAll(false);
});
byId("refresh-cips").addEventListener("click", () => void refreshAll(false));
byId("refresh-session").addEventListener("click", () => {
  lastSessionJson = "";
  void refreshAll(false);
});
window.setInterval(() => {
  if (byId<HTMLInputElement>("auto-refresh").checked && sessionId && !document.hidden) void refreshAll(true);
}, 2000);

for (const button of document.querySelectorAll<HTMLButtonElement>("[data-advance-seconds]")) {
  button.addEventListener("click", async () => {
    try {
      showClock(await call("POST", "/sandbox/clock", { advanceSeconds: Number(button.dataset.advanceSeconds) }));
    } catch (error) {
      byId("clock-now").textContent = errorText(error);
    }
    await refreshAll(false);
  });
}

function faultForm(formId: string, path: string, kindId: string, countId: string, resultId: string): void {
  byId(formId).addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const kind = byId<HTMLInputElement | HTMLSelectElement>(kindId).value.trim();
      show(resultId, await call("POST", path, { kind, count: Number(byId<HTMLInputElement>(countId).value) }));
    } catch (error) {
      show(resultId, errorText(error));
    }
  });
}
faultForm("shopify-fault-form", "/sandbox/shopify/faults", "shopify-fault-kind", "shopify-fault-count", "shopify-fault-result");
faultForm("pagoefectivo-fault-form", "/sandbox/pagoefectivo/faults", "pagoefectivo-fault-kind", "pagoefectivo-fault-count", "pagoefectivo-fault-result");

byId("refund-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!needSession()) return;
  try {
    const amount = byId<HTMLInputElement>("refund-amount").value.trim();
    show("refund-result", await call("POST", `/sandbox/shopify/payment-sessions/${encodeURIComponent(sessionId)}/refunds`, { amount }));
  } catch (error) {
    show("refund-result", errorText(error));
  }
  await refreshAll(false);
});

void refreshClock();
window.setInterval(() => {
  if (!document.hidden) void refreshClock();
}, CLOCK_REFRESH_MS);
