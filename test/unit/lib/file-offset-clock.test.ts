import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { FixedClock } from "../../../app/lib/clock";
import { FileOffsetClock } from "../../../app/lib/file-offset-clock";

describe("FileOffsetClock", () => {
  it("shares one offset between clocks on the same file and keeps it for a new one (a restart)", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "pe-clock-")), "offset");
    const wall = new FixedClock(new Date("2026-12-01T00:00:00Z"));
    const a = new FileOffsetClock(file, wall, 0);
    const b = new FileOffsetClock(file, wall, 0);
    expect(a.now().toISOString()).toBe("2026-12-01T00:00:00.000Z");
    a.advance(3600);
    expect(b.now().toISOString()).toBe("2026-12-01T01:00:00.000Z");
    b.advance(60);
    expect(a.now().toISOString()).toBe("2026-12-01T01:01:00.000Z");
    expect(new FileOffsetClock(file, wall, 0).offsetSeconds).toBe(3660);
    expect(() => a.advance(-1)).toThrow(RangeError);
  });
});
