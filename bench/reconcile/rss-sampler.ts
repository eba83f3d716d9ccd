/**
 * Peak resident memory of this process: process.memoryUsage().rss sampled every few milliseconds (the
 * sample misses nothing the kernel's own high-water mark would show by more than one interval's growth;
 * both are reported).
 */
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | null = null;

  start(everyMs = 10): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.peak;
  }

  peakSoFar(): number {
    return this.peak;
  }

  sample(): void {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
  }
}

/** The kernel's high-water mark for this process's resident set (ru_maxrss), in bytes. */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
