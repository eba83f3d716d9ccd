import { describe, expect, it } from "vitest";

import { randomToken } from "../../../app/lib/random-token";

describe("randomToken", () => {
  it("gives base64url text of the asked number of bytes, as randomBytes(n).toString('base64url')", () => {
    for (const bytes of [1, 2, 3, 18, 32, 100]) {
      const token = randomToken(bytes);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(bytes);
    }
  });

  it("never repeats a token across many pool refills (each pool byte is handed out once)", () => {
    // 18-byte tokens do not divide the 4 kB pool: this crosses refills at every offset.
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i += 1) seen.add(randomToken(18));
    expect(seen.size).toBe(20_000);
  });

  it("spreads its bytes over all values (a stuck or zeroed pool would not)", () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2_000; i += 1) for (const byte of Buffer.from(randomToken(32), "base64url")) counts[byte] = (counts[byte] ?? 0) + 1;
    // 64,000 bytes: about 250 of each value; a zero-filled pool would put them all at 0.
    expect(Math.max(...counts)).toBeLessThan(400);
    expect(Math.min(...counts)).toBeGreaterThan(120);
  });

  it("refuses sizes it cannot give", () => {
    expect(() => randomToken(0)).toThrow(RangeError);
    expect(() => randomToken(4097)).toThrow(RangeError);
    expect(() => randomToken(1.5)).toThrow(RangeError);
  });
});
