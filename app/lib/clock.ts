import type { ClockOffsetStore } from "./clock-offset-file";

/**
 * The app's only source of "now". Injected everywhere so tests and the sandbox
 * (POST /sandbox/clock) can move time forward and schedulers and backoff follow.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that runs with real time plus an offset that can only grow. With an offset store (the sandbox's
 * DATA_DIR/sandbox/clock.json, see ClockOffsetFile) every process reading the same store keeps the same time.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  constructor(
    private readonly base: Clock = systemClock,
    private readonly store: ClockOffsetStore | null = null,
  ) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.currentOffsetMs());
  }

  advance(seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError("advance() takes a non-negative number of seconds");
    }
    this.setOffset(this.currentOffsetMs() + seconds * 1000);
    return this.now();
  }

  /** Moves to an absolute offset, never backwards (a smaller offset is ignored): how another process's clock is adopted. */
  adoptOffset(seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError("adoptOffset() takes a non-negative number of seconds");
    if (seconds * 1000 > this.currentOffsetMs()) this.setOffset(seconds * 1000);
    return this.now();
  }

  get offsetSeconds(): number {
    return this.currentOffsetMs() / 1000;
  }

  private currentOffsetMs(): number {
    return this.store ? this.store.read() : this.offsetMs;
  }

  private setOffset(offsetMs: number): void {
    this.offsetMs = offsetMs;
    this.store?.write(offsetMs);
  }
}

/** A frozen clock for unit tests. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date): void {
    this.current = new Date(at.getTime());
  }

  advance(seconds: number): Date {
    this.current = new Date(this.current.getTime() + seconds * 1000);
    return this.now();
  }
}
