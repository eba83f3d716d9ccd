import { hash } from "node:crypto";

import type { Environment } from "../../ports/payment-store";

/**
 * What answered a notification whose evidence is committed: enough to recognise its replay (the same URL key,
 * signature header and body bytes) and to check, in one narrow read, that the database would still answer it
 * "duplicate" (NotificationStore.isStoredReplay). PagoEfectivo replays a notification it got no 200 for; a sale
 * day's replays would otherwise each parse the body, verify the HMAC and read the shop, its credentials and the
 * dedupe key again.
 */
export interface RememberedNotification {
  shopId: string;
  /** The credential whose secret verified the signature... */
  environment: Environment;
  /** ...as its sealed text was then: a rotated secret is a different text, so the check fails and the full path decides. */
  secretKeyEncrypted: string;
  dedupeKey: string;
}

/**
 * About 300 bytes an entry (key and record): 65,536 entries is ~20 MB, the notifications of several minutes of a
 * sale-day burst. Oldest first out. A memory is only ever a hint: each hit is confirmed against the database, and a
 * miss takes the full path, so several instances, a restart or an eviction change the cost, never the answer.
 */
const CAPACITY = 65_536;

export class ReplayMemory {
  private readonly entries = new Map<string, RememberedNotification>();

  constructor(private readonly capacity = CAPACITY) {}

  /**
   * The key of one exact delivery. The body's digest, not only the signature: a forged body sent with a genuine
   * signature must miss (and be refused on the full path), never be answered "duplicate".
   */
  static keyOf(notificationKey: string, signature: string | null, rawBody: Buffer): string | null {
    if (!signature) return null;
    // One-shot digest: no Hash object per request (about 1 us less than createHash().update().digest(), same text).
    return `${notificationKey}\n${signature}\n${hash("sha256", rawBody, "base64")}`;
  }

  get(key: string | null): RememberedNotification | undefined {
    return key === null ? undefined : this.entries.get(key);
  }

  /** Call only once the notification's evidence is committed (or found committed): never for one in flight. */
  remember(key: string | null, entry: RememberedNotification): void {
    if (key === null) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Forgets a delivery the database no longer confirms (rotated secret, deleted shop data). */
  forget(key: string | null): void {
    if (key !== null) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
