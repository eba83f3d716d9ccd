import { createHash } from "node:crypto";

/** The first bytes of a rejected body kept as a sample: enough to see what was sent, never a 64 KB row. */
export const REJECTED_BODY_SAMPLE_BYTES = 512;
const MAX_HEADER_VALUE = 200;
/** The headers worth keeping about an unverified request; anything else the sender chose is dropped. */
const KEPT_HEADERS = ["content-type", "content-length", "user-agent", "pe-signature", "x-forwarded-for", "x-real-ip"];

/**
 * What is stored of a notification that failed verification (issue #10): anyone who knows a URL key can
 * send these, so the row is bounded whatever was sent: a body sample, its size and hash, and a few headers.
 */
export function summarizeRejected(rawBody: Buffer, headers: Record<string, string>): { rawBody: Buffer; headers: Record<string, string>; summary: string } {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value.length > MAX_HEADER_VALUE ? `${value.slice(0, MAX_HEADER_VALUE)}…` : value;
  }
  const sha256 = createHash("sha256").update(rawBody).digest("hex");
  return {
    rawBody: rawBody.subarray(0, REJECTED_BODY_SAMPLE_BYTES),
    headers: kept,
    summary: `bytes=${rawBody.length};sha256=${sha256};sampled=${Math.min(rawBody.length, REJECTED_BODY_SAMPLE_BYTES)}`,
  };
}
