import { z } from "zod";

/**
 * The requests Shopify sends to a payments app (payment and refund sessions), parsed at the
 * edge. Shapes follow shopify.dev's request reference; unknown fields are tolerated because
 * Shopify adds fields between API versions.
 */

export const shopifySessionHeaders = z.object({
  "shopify-shop-domain": z
    .string({ error: "Shopify-Shop-Domain header is required" })
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i, "Shopify-Shop-Domain must be a myshopify.com domain")
    .transform((s) => s.toLowerCase()),
  "shopify-request-id": z.string({ error: "Shopify-Request-Id header is required" }).min(1).max(200),
  "shopify-api-version": z
    .string({ error: "Shopify-Api-Version header is required" })
    .regex(/^(\d{4}-\d{2}|unstable)$/, "Shopify-Api-Version must look like 2025-10"),
});
export type ShopifySessionHeaders = z.infer<typeof shopifySessionHeaders>;

const decimalAmount = z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, 'must be a decimal string such as "150.00"');

const address = z
  .object({
    given_name: z.string().nullish(),
    family_name: z.string().nullish(),
    line1: z.string().nullish(),
    line2: z.string().nullish(),
    city: z.string().nullish(),
    postal_code: z.string().nullish(),
    province: z.string().nullish(),
    country_code: z.string().nullish(),
    phone_number: z.string().nullish(),
    company: z.string().nullish(),
  })
  .loose();

const customer = z
  .object({
    email: z.string().nullish(),
    phone_number: z.string().nullish(),
    locale: z.string().nullish(),
    billing_address: address.nullish(),
    shipping_address: address.nullish(),
  })
  .loose();

export const paymentSessionBody = z
  .object({
    id: z.string().min(1).max(255),
    gid: z.string().startsWith("gid://shopify/PaymentSession/", "must be a PaymentSession gid"),
    group: z.string().nullish(),
    session_id: z.string().nullish(),
    amount: decimalAmount,
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code"),
    test: z.boolean(),
    merchant_locale: z.string().nullish(),
    payment_method: z
      .object({
        type: z.string(),
        data: z.object({ cancel_url: z.string().nullish() }).loose().nullish(),
      })
      .loose(),
    proposed_at: z.iso.datetime({ offset: true }),
    customer: customer.nullish(),
    kind: z.string().default("sale"),
  })
  .loose();
export type PaymentSessionBody = z.infer<typeof paymentSessionBody>;

export const refundSessionBody = z
  .object({
    id: z.string().min(1).max(255),
    gid: z.string().startsWith("gid://shopify/RefundSession/", "must be a RefundSession gid"),
    payment_id: z.string().min(1),
    amount: decimalAmount,
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code"),
    test: z.boolean().optional().default(false),
    merchant_locale: z.string().nullish(),
    proposed_at: z.iso.datetime({ offset: true }),
  })
  .loose();
export type RefundSessionBody = z.infer<typeof refundSessionBody>;

const COUNTRY_DIALING_CODES: Record<string, string> = {
  PE: "+51",
  US: "+1",
  CA: "+1",
  CL: "+56",
  CO: "+57",
  EC: "+593",
  BO: "+591",
  AR: "+54",
  BR: "+55",
  MX: "+52",
  ES: "+34",
  VE: "+58",
};

export interface BuyerPhone {
  countryCode: string;
  number: string;
}

/**
 * PagoEfectivo needs the phone split into a country code (+51) and at most 15 digits. Shopify
 * sends whatever the buyer typed: "+51 987 654 321", "987654321", "0051987654321".
 */
export function normalizePhone(raw: string | null | undefined, countryCode?: string | null): BuyerPhone | null {
  if (!raw) return null;
  let digits = raw.replace(/[^\d+]/g, "");
  if (digits.startsWith("00")) digits = `+${digits.slice(2)}`;
  if (digits.startsWith("+51") && digits.length === 12) return { countryCode: "+51", number: digits.slice(3) };
  if (/^51\d{9}$/.test(digits)) return { countryCode: "+51", number: digits.slice(2) };
  if (digits.startsWith("+")) {
    const known = Object.values(COUNTRY_DIALING_CODES).sort((a, b) => b.length - a.length);
    const code = known.find((c) => digits.startsWith(c));
    const rest = code ? digits.slice(code.length) : "";
    if (code && /^\d{6,15}$/.test(rest)) return { countryCode: code, number: rest };
    return null;
  }
  if (!/^\d{6,15}$/.test(digits)) return null;
  const code = COUNTRY_DIALING_CODES[(countryCode ?? "PE").toUpperCase()] ?? "+51";
  return { countryCode: code, number: digits };
}

/** A buyer-entered Peruvian mobile: 9 digits starting with 9. */
export function parsePeruvianMobile(raw: string): BuyerPhone | null {
  const phone = normalizePhone(raw, "PE");
  if (!phone || phone.countryCode !== "+51" || !/^9\d{8}$/.test(phone.number)) return null;
  return phone;
}
