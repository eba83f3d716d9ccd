import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

import { AdjustableClock, type Clock, systemClock } from "./clock";
import type { ClockOffsetStore } from "./clock-offset-file";

/**
 * SANDBOX_CLOCK_FILE: a file holding only the offset in milliseconds, so that separate processes (the
 * app, its restarts, and `npm run sandbox`) share one business time and a test harness can move it by
 * writing a number (issue #10's chaos suite: "on one clock"). Reads are cached for a few milliseconds
 * (now() is called often); a write is atomic (write, then rename). The default sandbox clock file
 * (DATA_DIR/sandbox/clock.json) is ClockOffsetFile; this is the same idea at a path the caller picks.
 */
export class PlainOffsetFile implements ClockOffsetStore {
  private cachedOffsetMs = 0;
  private cachedAt = -Infinity;

  constructor(
    private readonly file: string,
    private readonly cacheMs = 20,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  read(): number {
    if (performance.now() - this.cachedAt > this.cacheMs) {
      this.cachedOffsetMs = this.readFile();
      this.cachedAt = performance.now();
    }
    return this.cachedOffsetMs;
  }

  write(offsetMs: number): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, String(offsetMs));
    renameSync(temporary, this.file);
    this.cachedOffsetMs = offsetMs;
    this.cachedAt = performance.now();
  }

  private readFile(): number {
    try {
      const value = Number(readFileSync(this.file, "utf8").trim());
      return Number.isFinite(value) && value >= 0 ? value : 0;
    } catch {
      return 0;
    }
  }
}

/** An adjustable clock whose offset lives in a plain file (see PlainOffsetFile). */
export class FileOffsetClock extends AdjustableClock {
  constructor(file: string, wall: Clock = systemClock, cacheMs = 20) {
    super(wall, new PlainOffsetFile(file, cacheMs));
  }
}
