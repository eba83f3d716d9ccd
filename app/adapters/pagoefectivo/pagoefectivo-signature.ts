import { createHmac, timingSafeEqual } from "node:crypto";

import type { SignatureVerification } from "../../ports/signatures";

/** The PE-Signature header value PagoEfectivo sends. */
export const PE_SIGNATURE_HEADER = "pe-signature";

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** PE-Signature: lowercase hex HMAC-SHA256 of the body bytes, keyed with the merchant's secretKey. */
export function signNotification(rawBody: Buffer | string, secretKey: string): string {
  return createHmac("sha256", secretKey).update(rawBody).digest("hex");
}

/**
 * Checks PE-Signature against the RAW request bytes. Never pass a re-serialized body: JSON.parse turns
 * `"amount":100.00` into 100, and JSON.stringify writes `100`, so the HMAC of the copy differs.
 */
export function verifyNotificationSignature(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secretKey: string,
): SignatureVerification {
  const provided = signatureHeader?.trim() ?? "";
  if (provided === "") return { valid: false, reason: "missing_signature" };
  // Format first, so timingSafeEqual always compares two 32-byte buffers and cannot throw.
  if (!HEX_SHA256.test(provided)) return { valid: false, reason: "malformed_signature" };
  const expected = createHmac("sha256", secretKey).update(rawBody).digest();
  // Buffer.from(hex) is case-insensitive, so upper-case hex compares as the same bytes.
  const given = Buffer.from(provided, "hex");
  return timingSafeEqual(expected, given) ? { valid: true } : { valid: false, reason: "mismatch" };
}
