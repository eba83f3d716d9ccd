import { escapeHtml } from "../views/html";

/** The few plain pages of the sign-in flow: ask for the shop, or explain what went wrong. */

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · PagoEfectivo</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f1f1f1;color:#303030;margin:0;padding:48px 16px}
main{max-width:440px;margin:0 auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:20px;margin:0 0 12px}p{line-height:1.5}
input{width:100%;box-sizing:border-box;padding:8px;font-size:15px;border:1px solid #8a8a8a;border-radius:8px}
button,a.button{display:inline-block;margin-top:12px;padding:8px 16px;border:0;border-radius:8px;background:#303030;color:#fff;font-size:15px;text-decoration:none;cursor:pointer}
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function loginPage(message: string | null = null): string {
  return layout(
    "Iniciar sesión / Sign in",
    `<h1>PagoEfectivo para Shopify</h1>
<p>Abre la app desde el admin de Shopify, o escribe el dominio de tu tienda.<br>Open the app from your Shopify admin, or enter your store's domain.</p>
${message ? `<p role="alert"><strong>${escapeHtml(message)}</strong></p>` : ""}
<form method="get" action="/auth/login">
<label for="shop">Tienda / Store</label>
<input id="shop" name="shop" placeholder="mi-tienda.myshopify.com" required autocomplete="off">
<button type="submit">Continuar / Continue</button>
</form>`,
  );
}

export function authErrorPage(title: string, message: string, retryUrl: string | null): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
${retryUrl ? `<a class="button" href="${escapeHtml(retryUrl)}">Intentar de nuevo / Try again</a>` : ""}`,
  );
}
