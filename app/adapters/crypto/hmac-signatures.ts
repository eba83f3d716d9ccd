import { createHmac, timingSafeEqual } from "node:crypto";

import type { SignatureVerification, SignatureVerifier } from "../../ports/signatures";
import { verifyNotificationSignature } from "../pagoefectivo/pagoefectivo-signature";

/** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body with the app's API secret (shopify.dev, "Verify webhooks"). */
export function signShopifyWebhook(rawBody: Buffer | string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/** The vendors' request signatures, checked with node:crypto. */
export class HmacSignatures implements SignatureVerifier {
  constructor(private readonly shopifyApiSecret: string) {}

  pagoEfectivoNotification(rawBody: Buffer, signature: string | undefined, secretKey: string): SignatureVerification {
    return verifyNotificationSignature(rawBody, signature, secretKey);
  }

  shopifyWebhook(rawBody: Buffer, hmac: string | undefined): SignatureVerification {
    if (!hmac) return { valid: false, reason: "missing_signature" };
    const expected = Buffer.from(signShopifyWebhook(rawBody, this.shopifyApiSecret));
    const actual = Buffer.from(hmac);
    // Equal lengths first: timingSafeEqual throws on a length mismatch.
    return expected.length === actual.length && timingSafeEqual(expected, actual) ? { valid: true } : { valid: false, reason: "mismatch" };
  }
}
