import { type OrderRecord, type PaymentSessionRecord, type ShopRecord } from "./simulator-types";
import { escapeHtml as e, formatMinor } from "./simulator-values";

/** The few pages a buyer or merchant sees on "Shopify" during the sandbox flows. Every value is escaped. */

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f1f2f4; color: #303030; margin: 0; }
  main { max-width: 560px; margin: 48px auto; background: #fff; border-radius: 12px; padding: 32px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  .badge { display: inline-block; padding: 2px 10px; border-radius: 10px; background: #e4e5e7; font-size: .85rem; }
  .paid { background: #cdfee1; } .pending { background: #ffeb78; } .voided { background: #fedad9; }
  button, .button { background: #303030; color: #fff; border: 0; border-radius: 8px; padding: 10px 18px; font-size: 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
  label { display: block; margin: 12px 0 4px; } input, select { font-size: 1rem; padding: 6px; width: 100%; box-sizing: border-box; }
  footer { text-align: center; color: #616161; font-size: .8rem; margin: 16px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; } dt { color: #616161; }
</style>
</head>
<body><main>${body}</main><footer>Shopify simulator (sandbox) · PagoEfectivo for Shopify</footer></body>
</html>`;
}

export function consentPage(input: {
  shop: string;
  appName: string;
  scopes: string[];
  hidden: Record<string, string>;
  action: string;
}): string {
  const fields = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`)
    .join("\n");
  const scopes = input.scopes.length > 0 ? input.scopes.map((scope) => `<li><code>${e(scope)}</code></li>`).join("") : "<li>(none)</li>";
  return layout(
    `Install ${input.appName}`,
    `<h1>Install ${e(input.appName)}</h1>
<p>on <strong>${e(input.shop)}</strong></p>
<p>This app will be able to:</p>
<ul>${scopes}</ul>
<form method="post" action="${e(input.action)}">
${fields}
<button type="submit" id="install">Install</button>
</form>`,
  );
}

export function thankYouPage(shop: ShopRecord, session: PaymentSessionRecord, order: OrderRecord | null): string {
  if (order === null) {
    const title = session.state === "rejected" ? "Payment not completed" : "Processing your order";
    return layout(
      title,
      `<h1>${e(title)}</h1><p>${e(shop.name)}</p>
<p>Payment session <code>${e(session.id)}</code> is <span class="badge">${e(session.state)}</span>.</p>
<p><a class="button" href="${e(session.cancelUrl)}">Return to checkout</a></p>`,
    );
  }
  const status = order.cancelledAt ? "cancelled" : order.financialStatus;
  const heading = order.financialStatus === "paid" ? "¡Gracias por tu compra! / Thank you!" : "Pedido recibido / Order received";
  const note =
    order.financialStatus === "pending"
      ? "<p>Your payment is pending: pay the PagoEfectivo code (CIP) before it expires and the order will be marked as paid.</p>"
      : "";
  return layout(
    `Order ${order.name} confirmed`,
    `<h1>${e(heading)}</h1>
<p>${e(shop.name)}</p>
<dl>
  <dt>Order</dt><dd id="order-name">${e(order.name)}</dd>
  <dt>Status</dt><dd><span id="order-status" class="badge ${e(order.financialStatus)}">${e(status)}</span></dd>
  <dt>Total</dt><dd>${e(order.currency)} ${e(formatMinor(order.amountMinor))}</dd>
  <dt>Payment</dt><dd>PagoEfectivo</dd>
</dl>
${note}`,
  );
}

export function checkoutPage(shop: ShopRecord, session: PaymentSessionRecord, storefrontUrl: string): string {
  return layout(
    "Checkout",
    `<h1>Checkout</h1><p>${e(shop.name)}</p>
<p>The payment with PagoEfectivo was not completed (session <code>${e(session.id)}</code>,
<span class="badge">${e(session.state)}</span>). Choose another payment method or try again.</p>
<p>Total: ${e(session.currency)} ${e(formatMinor(session.amountMinor))}</p>
<p><a class="button" href="${e(storefrontUrl)}">Back to the store</a></p>`,
  );
}

export function storefrontPage(shop: ShopRecord, action: string, error?: string): string {
  return layout(
    `${shop.name} – checkout`,
    `<h1>${e(shop.name)}</h1>
<p>Simulated checkout: pay with PagoEfectivo.</p>
${error ? `<p class="badge voided">${e(error)}</p>` : ""}
<form method="post" action="${e(action)}">
<label for="amount">Amount</label><input id="amount" name="amount" value="150.00" pattern="\\d+(\\.\\d{1,2})?" required>
<label for="currency">Currency</label><select id="currency" name="currency"><option>PEN</option><option>USD</option></select>
<label for="email">Email</label><input id="email" name="email" type="email" value="maria.quispe@example.pe">
<label for="locale">Language</label><select id="locale" name="locale"><option value="es">Español</option><option value="en">English</option></select>
<label><input type="checkbox" name="test" value="true" style="width:auto"> Test mode</label>
<p><button type="submit" id="pay">Pay with PagoEfectivo</button></p>
</form>`,
  );
}

export function indexPage(shops: ShopRecord[], base: string, appRegistered: boolean): string {
  const rows = shops
    .map(
      (shop) =>
        `<li><strong>${e(shop.domain)}</strong> ${shop.installed ? '<span class="badge paid">installed</span>' : '<span class="badge">not installed</span>'}
 · <a href="${e(`${base}/shops/${shop.domain}/storefront`)}">storefront checkout</a></li>`,
    )
    .join("\n");
  return layout(
    "Shopify simulator",
    `<h1>Shopify simulator</h1>
<p>App registered: ${appRegistered ? "yes" : "no (PUT /app)"}</p>
<ul>${rows || "<li>No shops yet (POST /shops)</li>"}</ul>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${e(title)}</h1><p>${e(message)}</p>`);
}
