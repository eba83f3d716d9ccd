import { timingSafeEqual } from "node:crypto";

import { type SimulatorContext } from "./simulator-context";
import { type ShopRecord } from "./simulator-types";
import { newToken, sha256Hex } from "./simulator-values";

/** Shops, installation and access tokens. Only token hashes are kept; the tokens go to the app. */

export const DEFAULT_SHOP = "pagoefectivo-demo.myshopify.com";
export const DEFAULT_SCOPES = "write_payment_gateways,write_payment_sessions";
const ONLINE_TOKEN_SECONDS = 86_399;
const SHOP_ID_BASE = 68_000_000_000;

export function newShopRecord(context: Pick<SimulatorContext, "clock">, domain: string, sequence: number): ShopRecord {
  const handle = domain.replace(/\.myshopify\.com$/, "");
  return {
    domain,
    shopId: SHOP_ID_BASE + sequence,
    name: handle
      .split("-")
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(" "),
    email: `owner@${handle}.example.pe`,
    currency: "PEN",
    createdAt: context.clock.now().toISOString(),
    installed: false,
    scopes: "",
    offlineTokenHash: null,
    onlineTokens: [],
    nextOrderNumber: 1001,
    paymentsAppConfiguration: null,
    uninstalledAt: null,
  };
}

export function createShop(context: SimulatorContext, domain: string): ShopRecord {
  context.state.counters.shop += 1;
  const shop = newShopRecord(context, domain, context.state.counters.shop);
  context.state.shops[domain] = shop;
  // The stored (tracked) record, so later changes to it are saved.
  return context.state.shops[domain] as ShopRecord;
}

export function ensureShop(context: SimulatorContext, domain: string): ShopRecord {
  return context.state.shops[domain] ?? createShop(context, domain);
}

/**
 * Installs the app with an offline token. One offline token per shop: a new install replaces the
 * previous one. `accessToken` pins the token (so a demo can seed the same one on every start).
 */
export function installOffline(shop: ShopRecord, scope: string, accessToken?: string): string {
  const token = accessToken ?? newToken("shpat_");
  shop.installed = true;
  shop.uninstalledAt = null;
  shop.scopes = scope;
  shop.offlineTokenHash = sha256Hex(token);
  return token;
}

export function issueOnlineToken(context: SimulatorContext, shop: ShopRecord, userId: number): { token: string; expiresIn: number } {
  const token = newToken("shpua_");
  const now = context.wallClock.now().getTime();
  shop.onlineTokens = shop.onlineTokens.filter((entry) => Date.parse(entry.expiresAt) > now);
  shop.onlineTokens.push({ hash: sha256Hex(token), expiresAt: new Date(now + ONLINE_TOKEN_SECONDS * 1000).toISOString(), userId });
  return { token, expiresIn: ONLINE_TOKEN_SECONDS };
}

export function isValidToken(context: SimulatorContext, shop: ShopRecord, token: string | undefined): boolean {
  if (!shop.installed || token === undefined || token.length === 0) return false;
  const hash = sha256Hex(token);
  if (shop.offlineTokenHash !== null && safeEqual(hash, shop.offlineTokenHash)) return true;
  const now = context.wallClock.now().getTime();
  return shop.onlineTokens.some((entry) => safeEqual(hash, entry.hash) && Date.parse(entry.expiresAt) > now);
}

export function uninstall(context: SimulatorContext, shop: ShopRecord): void {
  shop.installed = false;
  shop.offlineTokenHash = null;
  shop.onlineTokens = [];
  shop.paymentsAppConfiguration = null;
  shop.uninstalledAt = context.clock.now().toISOString();
}

export function shopView(shop: ShopRecord) {
  return {
    shop: shop.domain,
    shopId: shop.shopId,
    name: shop.name,
    email: shop.email,
    currency: shop.currency,
    createdAt: shop.createdAt,
    installed: shop.installed,
    scopes: shop.scopes,
    paymentsAppConfiguration: shop.paymentsAppConfiguration,
    uninstalledAt: shop.uninstalledAt,
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
