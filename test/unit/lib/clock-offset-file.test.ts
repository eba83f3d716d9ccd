import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { AdjustableClock, FixedClock } from "../../../app/lib/clock";
import { ClockOffsetFile } from "../../../app/lib/clock-offset-file";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "clock-file-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the sandbox clock file", () => {
  it("keeps clocks of several processes on one DATA_DIR in step, and survives a restart", async () => {
    const dir = dataDir();
    const base = new FixedClock(new Date("2026-12-04T10:00:00Z"));
    const app = new AdjustableClock(base, ClockOffsetFile.forDataDir(dir));
    const emulator = new AdjustableClock(base, ClockOffsetFile.forDataDir(dir));
    app.advance(7200);
    expect(app.now().toISOString()).toBe("2026-12-04T12:00:00.000Z");
    await new Promise((r) => setTimeout(r, 150));
    expect(emulator.now().toISOString()).toBe("2026-12-04T12:00:00.000Z");

    const restarted = new AdjustableClock(base, ClockOffsetFile.forDataDir(dir));
    expect(restarted.offsetSeconds).toBe(7200);
  });

  it("adopts a larger offset and ignores a smaller one", () => {
    const clock = new AdjustableClock(new FixedClock(new Date(0)), ClockOffsetFile.forDataDir(dataDir()));
    clock.adoptOffset(60);
    clock.adoptOffset(30);
    expect(clock.offsetSeconds).toBe(60);
    expect(() => clock.adoptOffset(-1)).toThrow(RangeError);
  });
});
