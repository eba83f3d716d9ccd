import { createHash, createHmac, randomBytes, randomInt } from "node:crypto";

/** Identifiers, tokens, signatures and money formatting as Shopify produces them. */

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A session id like Shopify's `u0nwmSrNntjIWozmNslK5Tlq`: 24 url-safe characters. */
export function newSessionId(): string {
  let id = "";
  for (let i = 0; i < 24; i += 1) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

/** `group` and `session_id` are base64 of 32 random bytes in Shopify's examples. */
export function newOpaqueBase64(): string {
  return randomBytes(32).toString("base64");
}

export function newToken(prefix: "shpat_" | "shpua_"): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

export function newOAuthCode(): string {
  return randomBytes(16).toString("hex");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function hmacBase64(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function hmacHex(secret: string, message: string): string {
  return createHmac("sha256", secret).update(message, "utf8").digest("hex");
}

export function paymentSessionGid(id: string): string {
  return `gid://shopify/PaymentSession/${id}`;
}

export function refundSessionGid(id: string): string {
  return `gid://shopify/RefundSession/${id}`;
}

export function orderGid(legacyId: number): string {
  return `gid://shopify/Order/${legacyId}`;
}

/** Parses `gid://shopify/<Type>/<id>`; null when the string is not a global id of that type. */
export function parseGid(value: unknown, type: string): string | null {
  if (typeof value !== "string") return null;
  const prefix = `gid://shopify/${type}/`;
  if (!value.startsWith(prefix)) return null;
  const id = value.slice(prefix.length);
  return /^[A-Za-z0-9_\-+/=]+$/.test(id) ? id : null;
}

/** ISO-8601 in UTC without milliseconds, the way Shopify writes `proposed_at`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const DECIMAL = /^(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?$/;

/** "150.5" -> 15050 minor units, without floating point. Null when not a plain non-negative decimal. */
export function parseDecimalAmount(value: string): number | null {
  const match = DECIMAL.exec(value);
  if (match === null) return null;
  const units = Number(match[1]);
  const cents = Number((match[2] ?? "").padEnd(2, "0"));
  return units * 100 + cents;
}

export function formatMinor(minor: number): string {
  const units = Math.trunc(minor / 100);
  const cents = String(minor % 100).padStart(2, "0");
  return `${units}.${cents}`;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
