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
