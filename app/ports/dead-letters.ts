import type { OutboxJobKind } from "./outbox";

/** An outbox job that will not be tried again: a final error, or the ~30 h delivery window ran out. */
export interface DeadLetter {
  readonly id: string;
  readonly kind: OutboxJobKind | string;
  readonly paymentSessionId: string | null;
  readonly refundSessionId: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly failedAt: Date | null;
}

export type ResendOutcome = { readonly result: "resent"; readonly job: DeadLetter } | { readonly result: "not_found" } | { readonly result: "not_dead" };

export interface DeadLetterStore {
  /** The shop's dead letters, the most recently failed first. */
  list(shopId: string, page: { skip: number; take: number }): Promise<{ items: DeadLetter[]; total: number }>;
  /**
   * Puts a dead letter of the shop back in the outbox, due now, with a fresh delivery window (its
   * attempt count starts again), and records who resent it in its attempt log. Only a failed job of
   * that shop: another shop's id is "not_found", a job still pending or done is "not_dead".
   */
  resend(shopId: string, id: string, params: { now: Date; by: string }): Promise<ResendOutcome>;
}
