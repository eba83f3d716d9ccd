import { formatLimaDateTime } from "../../domain/lima-time";
import { browserScript } from "./browser-scripts";
import { escapeHtml } from "./html";

export interface SandboxPageView {
  /** The app's public base URL, for the install link. */
  appUrl: string;
  /** Base URL of the sandbox control APIs (/sandbox/...); the page's fetch() calls go there. */
  sandboxUrl: string;
  /** The simulated shop's domain, e.g. "demo.myshopify.com". */
  demoShop: string;
  adminUrl: string;
  /** CSP nonce put on the <script> and the <style>. */
  nonce: string;
  /** The app's business clock (it moves when the page advances it), shown at the top. */
  clock: { now: Date; offsetSeconds: number };
  /** Every shop the app is installed on, with the emulator credentials it holds (the secretKey is never shown). */
  shops: SandboxShopView[];
}

export interface SandboxShopView {
  domain: string;
  name: string | null;
  credentials: Array<{ environment: "sandbox" | "production"; idService: number; accessKey: string; verified: boolean }>;
}

// Kept in step with the PagoEfectivo emulator's fault kinds; app code may not import the sandbox.
const PAGOEFECTIVO_FAULT_KINDS = ["drop_notification", "error5xx", "latency", "timeout"] as const;
const SHOPIFY_FAULT_KINDS = ["error500"] as const;
const HOUR_SECONDS = 3600;

const CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f6f6f7;color:#1a1a1a}
header{background:#FFC700;padding:.8rem 1.2rem}
header h1{margin:0 0 .3rem;font-size:1.25rem}
.clock{margin:0 0 .4rem;font-size:.95rem}
#clock-now{font-weight:700}
header nav a{color:#1a1a1a;margin-right:1.2rem;font-weight:600}
main{max-width:60rem;margin:0 auto;padding:1rem}
section{background:#fff;border-radius:10px;padding:1rem 1.2rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.1)}
h2{font-size:1.1rem;margin:0 0 .6rem}
form,.row{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:end;margin:.4rem 0}
label{display:flex;flex-direction:column;font-size:.85rem;color:#444}
label.check{flex-direction:row;align-items:center;gap:.35rem;color:#1a1a1a}
input,select,button{font:inherit;padding:.4rem .55rem;border:1px solid #8a8a8a;border-radius:6px;background:#fff;color:#1a1a1a}
button{background:#1a1a1a;color:#fff;border-color:#1a1a1a;cursor:pointer;margin-right:.4rem}
button.primary{background:#FFC700;color:#1a1a1a;border-color:#c99a00;font-weight:700}
pre{background:#f3f3f3;border-radius:6px;padding:.5rem;overflow:auto;max-height:18rem;font-size:.8rem;margin:.4rem 0;white-space:pre-wrap;word-break:break-word}
pre:empty{display:none}
table{border-collapse:collapse;width:100%;font-size:.9rem}
.table-wrap{overflow-x:auto;max-width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e3e3}
td a{margin-left:.3rem}
.mono,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.muted{color:#555;font-size:.85rem}
.label{font-size:.75rem;color:#555;margin-top:.3rem}
#activity{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;max-height:14rem;overflow:auto;list-style:none;padding-left:0;margin:0}
input[type=number]{width:5.5rem}
#activity .bad{color:#a40000}
#buyer-link{font-weight:700}
:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
[hidden]{display:none!important}`;

/**
 * GET /sandbox: walk the whole flow by clicking. A static page; its script drives the sandbox control
 * APIs with fetch(). If sandboxUrl is another origin, that server must allow it (CORS) and the page's
 * CSP must list it in connect-src.
 */
export function renderSandboxPage(view: SandboxPageView): string {
  const nonce = escapeHtml(view.nonce);
  const installUrl = `${view.appUrl.replace(/\/+$/, "")}/auth/install?shop=${encodeURIComponent(view.demoShop)}`;
  const options = (values: readonly string[]) =>
    values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<title>Sandbox · PagoEfectivo for Shopify</title>
<style nonce="${nonce}">${CSS}</style>
</head>
<body data-sandbox-url="${escapeHtml(view.sandboxUrl)}">
<header>
<h1>PagoEfectivo for Shopify · Sandbox</h1>
<p class="clock" data-testid="sandbox-clock">Sandbox clock: <time id="clock-now" class="mono" datetime="${escapeHtml(view.clock.now.toISOString())}">${escapeHtml(clockText(view.clock.now))}</time> <span id="clock-offset">${escapeHtml(offsetText(view.clock.offsetSeconds))}</span></p>
<nav><a data-testid="admin-link" href="${escapeHtml(view.adminUrl)}">Admin panel</a><a data-testid="install-link" href="${escapeHtml(installUrl)}">Install on the demo shop (${escapeHtml(view.demoShop)})</a></nav>
</header>
<main>
<p class="muted">Everything here is simulated: a Shopify checkout, PagoEfectivo and the clock. Control API: <code>${escapeHtml(view.sandboxUrl)}</code></p>

<section id="shops" data-testid="sandbox-shops">
<h2>Installed shops</h2>
<p class="muted">Each shop installed through <code>/auth/install</code> gets its own PagoEfectivo emulator services (pre-production and production). The secretKey stays sealed in the app.</p>
${shopsTable(view.shops)}
<form id="install-form" method="get" action="${escapeHtml(`${view.appUrl.replace(/\/+$/, "")}/auth/install`)}">
<label>Install the app on another shop <input name="shop" required pattern="[a-z0-9][a-z0-9-]*\\.myshopify\\.com" placeholder="mi-tienda.myshopify.com" size="32"></label>
<button type="submit">Install</button>
</form>
</section>

<section id="step-checkout" data-testid="step-checkout">
<h2>1. Checkout</h2>
<form id="checkout-form">
<label>Shop <select id="checkout-shop">${shopOptions(view)}</select></label>
<label>Amount <input id="checkout-amount" value="150.00" required inputmode="decimal" pattern="[0-9]+(\\.[0-9]{1,2})?" size="10"></label>
<label>Currency <select id="checkout-currency">${options(["PEN", "USD"])}</select></label>
<label>Locale <select id="checkout-locale">${options(["es", "en"])}</select></label>
<label class="check"><input type="checkbox" id="checkout-test"> Test order</label>
<label class="check"><input type="checkbox" id="checkout-without-phone"> Customer without phone</label>
<button type="submit" class="primary">Send checkout</button>
</form>
<div class="row"><label>Payment session id <input id="session-id" size="40" placeholder="created by Send checkout, or paste one"></label></div>
<p><a id="buyer-link" data-testid="buyer-link" target="_blank" rel="noopener" hidden>Open the buyer page</a></p>
<pre id="checkout-result"></pre>
</section>

<section id="step-pay" data-testid="step-pay">
<h2>2. Pay</h2>
<p class="muted">The CIPs PagoEfectivo issued for this payment session. Paying one sends the signed notification to the app.</p>
<div class="row"><button type="button" id="refresh-cips">Refresh CIPs</button></div>
<div class="table-wrap"><table><thead><tr><th>CIP</th><th>Status</th><th>Amount</th><th>Expires</th><th>Actions</th></tr></thead><tbody id="cips"></tbody></table></div>
<p id="cips-empty" class="muted">No CIPs yet.</p>
</section>

<section id="step-shopify" data-testid="step-shopify">
<h2>3. Shopify</h2>
<div class="row"><span>Session state: <strong id="session-state">-</strong></span>
<label class="check"><input type="checkbox" id="auto-refresh" checked> Refresh every 2 s</label>
<button type="button" id="refresh-session">Refresh now</button></div>
<p class="muted">Payments Apps API mutations the app sent for this session:</p>
<ol id="mutations"></ol>
<p id="mutations-empty" class="muted">None yet.</p>
</section>

<section id="step-time" data-testid="step-time">
<h2>4. Time &amp; faults</h2>
<div class="row">
<button type="button" data-advance-seconds="${HOUR_SECONDS}">Advance clock 1 h</button>
<button type="button" data-advance-seconds="${49 * HOUR_SECONDS}">Advance clock 49 h</button>
<span class="muted">The sandbox clock is at the top of the page.</span>
</div>
<form id="shopify-fault-form">
<label>Shopify fault <input id="shopify-fault-kind" list="shopify-fault-kinds" value="${SHOPIFY_FAULT_KINDS[0]}"></label>
<datalist id="shopify-fault-kinds">${options(SHOPIFY_FAULT_KINDS)}</datalist>
<label>Count <input id="shopify-fault-count" type="number" min="1" value="3" size="4"></label>
<button type="submit">Inject</button>
</form>
<pre id="shopify-fault-result"></pre>
<form id="pagoefectivo-fault-form">
<label>PagoEfectivo fault <select id="pagoefectivo-fault-kind">${options(PAGOEFECTIVO_FAULT_KINDS)}</select></label>
<label>Count <input id="pagoefectivo-fault-count" type="number" min="1" value="1" size="4"></label>
<button type="submit">Inject</button>
</form>
<pre id="pagoefectivo-fault-result"></pre>
</section>

<section id="step-refund" data-testid="step-refund">
<h2>5. Refund</h2>
<form id="refund-form">
<label>Amount <input id="refund-amount" value="150.00" required inputmode="decimal" pattern="[0-9]+(\\.[0-9]{1,2})?" size="10"></label>
<button type="submit">Request refund from Shopify</button>
</form>
<p class="muted">PagoEfectivo has no refund API: the refund lands in the admin panel's manual refunds queue, where you record how it was paid back.</p>
<pre id="refund-result"></pre>
</section>

<section>
<h2>Activity</h2>
<ul id="activity"></ul>
</section>
</main>
<script nonce="${nonce}">${browserScript("sandbox-page").source}</script>
</body>
</html>
`;
}

function shopsTable(shops: SandboxShopView[]): string {
  if (shops.length === 0) return `<p class="muted">No shop has the app installed yet.</p>`;
  const rows = shops.flatMap((shop) => {
    const name = `<td rowspan="${Math.max(1, shop.credentials.length)}"><strong>${escapeHtml(shop.domain)}</strong>${shop.name ? `<div class="muted">${escapeHtml(shop.name)}</div>` : ""}</td>`;
    if (shop.credentials.length === 0) return [`<tr data-shop="${escapeHtml(shop.domain)}">${name}<td colspan="4" class="muted">No PagoEfectivo credentials (set them in the admin panel)</td></tr>`];
    return shop.credentials.map(
      (c, index) =>
        `<tr data-shop="${escapeHtml(shop.domain)}" data-environment="${c.environment}">${index === 0 ? name : ""}<td>${c.environment === "sandbox" ? "Pre-production" : "Production"}</td><td class="mono">${c.idService}</td><td class="mono">${escapeHtml(c.accessKey)}</td><td>${c.verified ? "verified" : "not tested"}</td></tr>`,
    );
  });
  // Scrolls inside its card on a phone rather than widening the page.
  return `<div class="table-wrap"><table><thead><tr><th>Shop</th><th>Environment</th><th>idService</th><th>accessKey</th><th>Connection</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function shopOptions(view: SandboxPageView): string {
  const domains = view.shops.map((shop) => shop.domain);
  if (!domains.includes(view.demoShop)) domains.unshift(view.demoShop);
  return domains.map((d) => `<option value="${escapeHtml(d)}"${d === view.demoShop ? " selected" : ""}>${escapeHtml(d)}</option>`).join("");
}

/** "2026-12-04 05:00:00 Lima (10:00:00 UTC)": the script writes the same format when the clock moves. */
export function clockText(now: Date): string {
  return `${formatLimaDateTime(now).slice(0, 19).replace("T", " ")} Lima (${now.toISOString().slice(11, 19)} UTC)`;
}

export function offsetText(offsetSeconds: number): string {
  if (!offsetSeconds) return "(real time)";
  const hours = Number((offsetSeconds / 3600).toFixed(2));
  return `(real time ${hours > 0 ? "+" : "-"} ${Math.abs(hours)} h)`;
}
