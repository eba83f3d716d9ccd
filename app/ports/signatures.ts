/** The outcome of checking a vendor's signature over the raw bytes it sent. */
export type SignatureVerification =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: "missing_signature" | "malformed_signature" | "mismatch" };

/**
 * Checks the HMACs vendors put on what they send, over the raw request bytes, in constant time
 * (app/adapters/crypto/hmac-signatures.ts). Use cases decide what a bad signature means.
 */
export interface SignatureVerifier {
  /** PagoEfectivo's PE-Signature: hex HMAC-SHA256 of the body, keyed with the merchant's secretKey. */
  pagoEfectivoNotification(rawBody: Buffer, signature: string | undefined, secretKey: string): SignatureVerification;
  /** Shopify's X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body, keyed with the app's API secret. */
  shopifyWebhook(rawBody: Buffer, hmac: string | undefined): SignatureVerification;
}
