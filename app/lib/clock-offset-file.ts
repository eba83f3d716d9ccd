import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Where an AdjustableClock keeps its offset, so it can be shared and survive restarts. */
export interface ClockOffsetStore {
  /** The current offset in milliseconds. Cheap: called on every clock.now(). */
  read(): number;
  write(offsetMs: number): void;
}

/** How often the file is checked for a change written by another process. */
const RECHECK_MS = 100;

/**
 * The sandbox's one clock: `DATA_DIR/sandbox/clock.json` holds the offset from real time. The app, the PagoEfectivo
 * emulator and the Shopify simulator read it, in one process or in several (`npm run sandbox` and any number of app
 * instances on the same DATA_DIR), and it survives restarts. A write is a temp file renamed over the old one; a
 * reader notices it within RECHECK_MS (it compares the file's mtime and size, not its content, on each check).
 */
export class ClockOffsetFile implements ClockOffsetStore {
  private offsetMs = 0;
  private checkedAt = -Infinity;
  private signature = "";

  constructor(readonly filePath: string) {
    mkdirSync(path.dirname(filePath), { recursive: true });
    this.reload();
  }

  static forDataDir(dataDir: string): ClockOffsetFile {
    return new ClockOffsetFile(path.join(dataDir, "sandbox", "clock.json"));
  }

  read(): number {
    const now = performance.now();
    if (now - this.checkedAt >= RECHECK_MS) {
      this.checkedAt = now;
      this.reload();
    }
    return this.offsetMs;
  }

  write(offsetMs: number): void {
    const tmp = `${this.filePath}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ offsetSeconds: offsetMs / 1000, updatedAt: new Date().toISOString() })}\n`);
    renameSync(tmp, this.filePath);
    this.offsetMs = offsetMs;
    this.checkedAt = -Infinity;
  }

  private reload(): void {
    let signature: string;
    try {
      const stat = statSync(this.filePath);
      signature = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return; // no file yet: real time
    }
    if (signature === this.signature) return;
    this.signature = signature;
    try {
      const parsed = JSON.parse(readFileSync(this.filePath, "utf8")) as { offsetSeconds?: unknown };
      if (typeof parsed.offsetSeconds === "number" && Number.isFinite(parsed.offsetSeconds) && parsed.offsetSeconds >= 0) {
        this.offsetMs = parsed.offsetSeconds * 1000;
      }
    } catch {
      // A file being replaced or edited by hand: keep the last good offset and look again next time.
      this.signature = "";
    }
  }
}
