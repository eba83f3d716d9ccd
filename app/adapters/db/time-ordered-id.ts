import { randomUUID } from "node:crypto";

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits from the CSPRNG (randomUUID's, with its
 * variant bits kept). Rows keyed by it (PaymentEvent, OutboxJob) are appended at the right edge of the primary-key
 * B-tree instead of landing on a random page of it, which keeps the hot pages few as the tables grow (issue #13);
 * ids stay unique and unguessable, and nothing reads meaning from them (they are never ordered by, only matched).
 */
export function timeOrderedId(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, "0");
  // randomUUID: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; its version nibble (index 14) becomes 7.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
