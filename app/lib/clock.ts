/**
 * The app's only source of "now". Injected everywhere so tests and the sandbox
 * (POST /sandbox/clock) can move time forward and schedulers and backoff follow.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that runs with real time plus an offset that can only grow. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  advance(seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError("advance() takes a non-negative number of seconds");
    }
    this.offsetMs += seconds * 1000;
    return this.now();
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
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
