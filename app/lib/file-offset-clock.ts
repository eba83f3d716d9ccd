import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

import { AdjustableClock, type Clock, systemClock } from "./clock";

/**
 * An adjustable clock whose offset lives in a file, so that separate processes (the app, its
 * restarts, and `npm run sandbox`) share one business time (issue #10's chaos suite: "on one clock").
 * The file holds the offset in milliseconds; it only grows. Reads are cached for a few milliseconds
 * (now() is called often); advancing writes the file atomically (write, then rename).
 */
export class FileOffsetClock extends AdjustableClock {
  private cachedOffsetMs = 0;
  private cachedAt = -Infinity;

  constructor(
    private readonly file: string,
    private readonly wall: Clock = systemClock,
    private readonly cacheMs = 20,
  ) {
    super(wall);
    mkdirSync(path.dirname(file), { recursive: true });
  }

  override now(): Date {
    return new Date(this.wall.now().getTime() + this.currentOffsetMs());
  }

  override advance(seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError("advance() takes a non-negative number of seconds");
    const next = this.readOffsetMs() + seconds * 1000;
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, String(next));
    renameSync(temporary, this.file);
    this.cachedOffsetMs = next;
    this.cachedAt = performance.now();
    return this.now();
  }

  override get offsetSeconds(): number {
    return this.currentOffsetMs() / 1000;
  }

  private currentOffsetMs(): number {
    if (performance.now() - this.cachedAt > this.cacheMs) {
      this.cachedOffsetMs = this.readOffsetMs();
      this.cachedAt = performance.now();
    }
    return this.cachedOffsetMs;
  }

  private readOffsetMs(): number {
    try {
      const value = Number(readFileSync(this.file, "utf8").trim());
      return Number.isFinite(value) && value >= 0 ? value : 0;
    } catch {
      return 0;
    }
  }
}
