import { describe, expect, it } from "vitest";

import { formatCountdown, formatLimaExpiry } from "../../../../app/http/views/lima-display-time";

describe("formatLimaExpiry", () => {
  // 20:30 UTC is 15:30 in Lima (UTC-5 all year).
  const instant = new Date("2026-11-28T20:30:00Z");

  it("writes Spanish Lima time like 'sábado 28 de noviembre de 2026, 15:30'", () => {
    expect(formatLimaExpiry(instant, "es")).toBe("sábado 28 de noviembre de 2026, 15:30");
  });

  it("writes English Lima time like 'Saturday, November 28, 2026, 3:30 PM'", () => {
    expect(formatLimaExpiry(instant, "en")).toBe("Saturday, November 28, 2026, 3:30 PM");
  });

  it("uses Lima's calendar day, not UTC's, around midnight", () => {
    const utcNewYear = new Date("2026-01-01T04:59:00Z");
    expect(formatLimaExpiry(utcNewYear, "es")).toBe("miércoles 31 de diciembre de 2025, 23:59");
    expect(formatLimaExpiry(utcNewYear, "en")).toBe("Wednesday, December 31, 2025, 11:59 PM");
  });

  it("writes midnight and morning hours with two digits in Spanish and 12-hour clock in English", () => {
    const midnight = new Date("2026-03-02T05:05:00Z");
    expect(formatLimaExpiry(midnight, "es")).toBe("lunes 2 de marzo de 2026, 00:05");
    expect(formatLimaExpiry(midnight, "en")).toBe("Monday, March 2, 2026, 12:05 AM");
  });

  it("refuses an invalid date instead of printing garbage", () => {
    expect(() => formatLimaExpiry(new Date(Number.NaN), "es")).toThrow(RangeError);
  });
});

describe("formatCountdown", () => {
  it("prints HH:MM:SS with hours beyond a day", () => {
    expect(formatCountdown(48 * 3600 * 1000)).toBe("48:00:00");
    expect(formatCountdown((47 * 3600 + 59 * 60 + 59) * 1000 + 999)).toBe("47:59:59");
    expect(formatCountdown(61_000)).toBe("00:01:01");
  });

  it("never goes negative", () => {
    expect(formatCountdown(0)).toBe("00:00:00");
    expect(formatCountdown(-5_000)).toBe("00:00:00");
  });
});
