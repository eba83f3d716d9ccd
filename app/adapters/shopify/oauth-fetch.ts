import "@shopify/shopify-api/adapters/node";

import { AsyncLocalStorage } from "node:async_hooks";

import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * The one seam where @shopify/shopify-api's own server-side requests (the OAuth code exchange) can be
 * pointed somewhere other than https://{shop}. The library reads a process-wide fetch function, so
 * the rewrite travels with the call (AsyncLocalStorage) instead of being global: two apps in one
 * process (tests) never send each other's exchanges to the wrong simulator, and code outside a
 * `withShopOrigin` call keeps talking to Shopify itself.
 */

const TOKEN_EXCHANGE_TIMEOUT_MS = 15_000;

type ShopOrigin = (shopDomain: string) => string;

const routing = new AsyncLocalStorage<ShopOrigin>();
let installed = false;

function installRoutingFetch(): void {
  if (installed) return;
  installed = true;
  setAbstractFetchFunc((input, init) => {
    const origin = routing.getStore();
    const url = input instanceof URL ? input.toString() : typeof input === "string" ? input : null;
    const target = origin && url ? rewriteShopUrl(url, origin) : input;
    // The library sets no deadline of its own; a stuck exchange must not hold the browser forever.
    const signal = init?.signal ?? AbortSignal.timeout(TOKEN_EXCHANGE_TIMEOUT_MS);
    return globalThis.fetch(target, { ...init, signal });
  });
}

/** Runs `work` with the library's requests to https://{shop}/... sent to `origin(shop)` instead. */
export function withShopOrigin<T>(origin: ShopOrigin | null, work: () => Promise<T>): Promise<T> {
  installRoutingFetch();
  if (origin === null) return work();
  return routing.run(origin, work);
}

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

/** `https://{shop}/admin/oauth/access_token` → `${origin(shop)}/admin/oauth/access_token`; other URLs unchanged. */
export function rewriteShopUrl(url: string, origin: ShopOrigin): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== "https:" || !SHOP_HOST.test(parsed.hostname) || parsed.port !== "") return url;
  return `${origin(parsed.hostname.toLowerCase())}${parsed.pathname}${parsed.search}`;
}
