import { describe, expect, it } from "vitest";

import {
  epochDayKey,
  formatLimaDateTime,
  formatLimaWallText,
  limaDateKey,
  limaDayStart,
  limaEpochDay,
  limaHour,
  limaMidnight,
  limaWallToInstant,
  parsePagoEfectivoDate,
} from "../../../app/domain/lima-time";

describe("formatLimaDateTime", () => {
  it.each([
    ["2020-11-15T20:45:00.000Z", "2020-11-15T15:45:00-05:00"],
    // 03:00 UTC is still the previous evening in Lima.
    ["2026-11-28T03:00:00.000Z", "2026-11-27T22:00:00-05:00"],
    ["2026-01-01T04:59:59.999Z", "2025-12-31T23:59:59-05:00"],
    ["2026-01-01T05:00:00.000Z", "2026-01-01T00:00:00-05:00"],
    // Leap day, and mid-year: no daylight saving, the offset never changes.
    ["2024-02-29T12:00:00.000Z", "2024-02-29T07:00:00-05:00"],
    ["2026-07-15T12:00:00.000Z", "2026-07-15T07:00:00-05:00"],
  ])("writes %s as %s", (iso, expected) => {
    expect(formatLimaDateTime(new Date(iso))).toBe(expected);
  });

  it("has the exact 25-character shape PagoEfectivo expects", () => {
    const text = formatLimaDateTime(new Date("2026-03-05T09:07:03.456Z"));
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/);
    expect(text).toHaveLength(25);
  });

  it("throws on an invalid Date (a programming error, not input)", () => {
    expect(() => formatLimaDateTime(new Date("nope"))).toThrow(RangeError);
  });
});

describe("limaDateKey", () => {
  it.each([
    ["2026-11-27T05:00:00.000Z", "2026-11-27"],
    ["2026-11-28T04:59:59.999Z", "2026-11-27"],
    ["2026-11-28T05:00:00.000Z", "2026-11-28"],
    ["2026-11-27T04:59:59.999Z", "2026-11-26"],
  ])("puts %s on Lima day %s", (iso, expected) => {
    expect(limaDateKey(new Date(iso))).toBe(expected);
  });
});

describe("parsePagoEfectivoDate", () => {
  it.each([
    ["2020-11-15T15:45:00-05:00", "2020-11-15T20:45:00.000Z"],
    ["2020-06-18T23:28:45.1220545-05:00", "2020-06-19T04:28:45.122Z"],
    ["2020-06-18T23:28:45.9-05:00", "2020-06-19T04:28:45.900Z"],
    ["2020-12-31T23:59:59-05:00", "2021-01-01T04:59:59.000Z"],
    ["2020-12-31 23:59:59-05:00", "2021-01-01T04:59:59.000Z"], // DOC's own example uses a space
    ["2020-12-31T23:59:59", "2021-01-01T04:59:59.000Z"], // no offset: Lima
    ["2020-12-31T23:59:59Z", "2020-12-31T23:59:59.000Z"],
    ["2020-12-31T23:59:59+00:00", "2020-12-31T23:59:59.000Z"],
    ["2020-12-31T23:59:59-0500", "2021-01-01T04:59:59.000Z"],
  ])("reads %s as %s", (input, iso) => {
    const result = parsePagoEfectivoDate(input);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value?.toISOString()).toBe(iso);
  });

  it.each(["1900-01-01T00:00:00-05:00", "1900-01-01T00:00:00", "0001-01-01T00:00:00", "1900-01-01T00:00:00.000-05:00"])(
    "reads the null-date sentinel %s as null",
    (input) => {
      expect(parsePagoEfectivoDate(input)).toStrictEqual({ ok: true, value: null });
    },
  );

  it("does not treat a real 1900 instant as the sentinel", () => {
    const result = parsePagoEfectivoDate("1900-01-01T00:00:01-05:00");
    expect(result.ok && result.value instanceof Date).toBe(true);
  });

  it.each([
    "",
    "2020-02-30T10:00:00-05:00",
    "2020-13-01T10:00:00-05:00",
    "2020-01-01T24:00:00-05:00",
    "2020-01-01T10:60:00-05:00",
    "2020-01-01",
    "15/11/2020 15:45",
    "2020-01-01T10:00:00-25:00",
    "2020-01-01T10:00:00.-05:00",
  ])("rejects %j", (input) => {
    const result = parsePagoEfectivoDate(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("invalid_date");
  });

  it("round-trips with formatLimaDateTime", () => {
    const at = new Date("2026-11-27T18:30:15.000Z");
    const result = parsePagoEfectivoDate(formatLimaDateTime(at));
    expect(result.ok && result.value?.getTime()).toBe(at.getTime());
  });
});

describe("one Lima clock for days, hours and wall text", () => {
  const instants = ["2026-01-01T04:59:59Z", "2026-01-01T05:00:00Z", "2026-11-27T23:30:00Z", "2024-02-29T03:00:00Z", "1999-12-31T23:59:59.999Z"].map((s) => new Date(s));

  it.each(instants)("agrees with limaDateKey and formatLimaDateTime for %s", (instant) => {
    const day = limaEpochDay(instant);
    expect(epochDayKey(day)).toBe(limaDateKey(instant));
    expect(formatLimaDateTime(limaMidnight(day))).toBe(`${limaDateKey(instant)}T00:00:00-05:00`);
    expect(limaHour(instant)).toBe(Number(formatLimaDateTime(instant).slice(11, 13)));
    expect(formatLimaWallText(instant)).toBe(formatLimaDateTime(instant).slice(0, 19).replace("T", " "));
  });

  it("reads Lima wall time as five hours behind UTC", () => {
    expect(limaWallToInstant(Date.UTC(2026, 0, 1, 0, 0, 0)).toISOString()).toBe("2026-01-01T05:00:00.000Z");
    expect(limaDayStart("2026-11-27").toISOString()).toBe("2026-11-27T05:00:00.000Z");
    expect(limaEpochDay(new Date("2026-01-01T04:59:59Z"))).toBe(limaEpochDay(new Date("2025-12-31T12:00:00Z")));
  });
});
