/**
 * When to try delivering an outbox job again, and when to stop. Pure: the caller supplies "now"
 * and the random source.
 *
 * Shopify requires apps to keep notifying it of payment results but publishes no schedule; the
 * public reference implementation retries for about 30 hours with doubling intervals, which this
 * follows: 5 s doubling to a 5 h cap, inside a 30 h window.
 *
 * Jitter is "equal jitter" (half the exponential delay fixed, half random): after an outage many
 * jobs fail together, and spreading them keeps the retries from arriving as one burst, while the
 * fixed half keeps a floor under each wait so a job cannot spend its attempts in the first minutes
 * (which "full jitter", anywhere from 0 to the whole delay, allows).
 */

export interface RetryPolicy {
  /** Delay after the first failed attempt, before jitter. */
  readonly baseDelayMs: number;
  /** Largest delay between two attempts, before jitter. */
  readonly maxDelayMs: number;
  /** Counted from the job's creation: no new attempt is scheduled past it. */
  readonly deliveryWindowMs: number;
}

const SECOND_MS = 1_000;
const HOUR_MS = 3_600_000;

export const RETRY_BASE_DELAY_MS = 5 * SECOND_MS;
export const RETRY_MAX_DELAY_MS = 5 * HOUR_MS;
export const DELIVERY_WINDOW_MS = 30 * HOUR_MS;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: RETRY_BASE_DELAY_MS,
  maxDelayMs: RETRY_MAX_DELAY_MS,
  deliveryWindowMs: DELIVERY_WINDOW_MS,
};

/** The delay before equal jitter: base * 2^(attempt-1), capped. */
export function backoffCeilingMs(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  // Attempts are counted from 1; clamping the exponent keeps 2^n finite for absurd attempt numbers.
  const exponent = Math.min(Math.max(Math.floor(attempt), 1) - 1, 52);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/**
 * How long to wait after attempt number `attempt` (1 = the first attempt) failed.
 * Equal jitter: uniformly between half and all of the capped exponential delay.
 * `random` returns a number in [0, 1), like Math.random; values outside are clamped.
 */
export function nextRetryDelayMs(
  attempt: number,
  random: () => number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number {
  const ceiling = backoffCeilingMs(attempt, policy);
  const r = Math.min(Math.max(random(), 0), 1);
  const half = ceiling / 2;
  return Math.round(half + r * half);
}

/** True once the delivery window that started at `firstAttemptAt` is over. */
export function shouldGiveUp(firstAttemptAt: Date, now: Date, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return now.getTime() - firstAttemptAt.getTime() >= policy.deliveryWindowMs;
}

export type RetryDecision = { readonly kind: "retry_at"; readonly at: Date } | { readonly kind: "give_up" };

/**
 * What to do after attempt number `attempt` failed at `now`. The next attempt is never scheduled
 * after the window ends: a long wait that would cross it is cut to the window's end, so the last
 * attempt happens at about 30 h rather than up to 5 h later, and a failure then gives up.
 */
export function planRetry(params: {
  readonly attempt: number;
  readonly firstAttemptAt: Date;
  readonly now: Date;
  readonly random: () => number;
  readonly policy?: RetryPolicy;
}): RetryDecision {
  const policy = params.policy ?? DEFAULT_RETRY_POLICY;
  if (shouldGiveUp(params.firstAttemptAt, params.now, policy)) {
    return { kind: "give_up" };
  }
  const windowEnd = params.firstAttemptAt.getTime() + policy.deliveryWindowMs;
  const next = params.now.getTime() + nextRetryDelayMs(params.attempt, params.random, policy);
  return { kind: "retry_at", at: new Date(Math.min(next, windowEnd)) };
}

/** "~30 h", for messages. */
export function describeWindow(policy: RetryPolicy = DEFAULT_RETRY_POLICY): string {
  return `~${Math.round(policy.deliveryWindowMs / HOUR_MS)} h`;
}
