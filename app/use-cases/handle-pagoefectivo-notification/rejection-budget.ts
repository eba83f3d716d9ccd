/**
 * How many rejected notifications (bad signature, unknown URL key) one client address, or one URL key,
 * may cause per window before further ones are refused with 429 without touching the database. Fixed
 * windows in memory, per process: cheap and good enough against a flood (each instance of a cluster
 * allows its own budget). The map is bounded: when full, the oldest entries go first.
 */
export interface RejectionBudgetOptions {
  /** Rejections allowed per window and per client address. */
  perAddress: number;
  /** Rejections allowed per window and per notification URL key (from any address). */
  perKey: number;
  windowMs: number;
  maxEntries: number;
  now: () => number;
}

export type BudgetScope = "address" | "key";

export const DEFAULT_REJECTION_BUDGET: Omit<RejectionBudgetOptions, "now"> = { perAddress: 20, perKey: 20, windowMs: 60_000, maxEntries: 10_000 };

export class RejectionBudget {
  private readonly options: RejectionBudgetOptions;
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(options: Partial<RejectionBudgetOptions> = {}) {
    this.options = { ...DEFAULT_REJECTION_BUDGET, now: () => Date.now(), ...options };
  }

  /** Whether `id` has used up its rejections for the current window. */
  exhausted(scope: BudgetScope, id: string): boolean {
    const window = this.current(`${scope}:${id}`);
    return window !== null && window.count >= this.limit(scope);
  }

  /** Records one rejection caused by `id`. */
  spend(scope: BudgetScope, id: string): void {
    const entry = `${scope}:${id}`;
    const window = this.current(entry);
    if (window) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= this.options.maxEntries) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    this.windows.set(entry, { start: this.options.now(), count: 1 });
  }

  /** Seconds until `id`'s window ends (for Retry-After). */
  retryAfterSeconds(scope: BudgetScope, id: string): number {
    const window = this.current(`${scope}:${id}`);
    if (!window) return 0;
    return Math.max(1, Math.ceil((window.start + this.options.windowMs - this.options.now()) / 1000));
  }

  private current(entry: string): { start: number; count: number } | null {
    const window = this.windows.get(entry);
    if (!window) return null;
    if (this.options.now() - window.start >= this.options.windowMs) {
      this.windows.delete(entry);
      return null;
    }
    return window;
  }

  private limit(scope: BudgetScope): number {
    return scope === "address" ? this.options.perAddress : this.options.perKey;
  }
}
