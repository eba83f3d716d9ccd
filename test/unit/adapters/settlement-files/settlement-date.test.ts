import { describe, expect, it } from "vitest";

import { parseSettlementDate } from "../../../../app/adapters/settlement-files/settlement-date";

describe("parseSettlementDate", () => {
  it.each<[string | number | Date, string]>([
    // Without an offset, the wall time is Lima's (UTC-5).
    ["2025-07-15", "2025-07-15T05:00:00.000Z"],
    ["2025-07-15T10:30:00", "2025-07-15T15:30:00.000Z"],
    ["2025-07-15T10:30", "2025-07-15T15:30:00.000Z"],
    ["2025-07-15 10:30:00", "2025-07-15T15:30:00.000Z"],
    ["2025-07-15T10:30:00.1220545", "2025-07-15T15:30:00.122Z"],
    ["2025/07/15 10:30:00", "2025-07-15T15:30:00.000Z"],
    // With an offset, the offset decides.
    ["2025-07-15T10:30:00-05:00", "2025-07-15T15:30:00.000Z"],
    ["2025-07-15T10:30:00Z", "2025-07-15T10:30:00.000Z"],
    ["2025-07-15T10:30:00+0100", "2025-07-15T09:30:00.000Z"],
    // Peruvian day-first dates.
    ["15/07/2025", "2025-07-15T05:00:00.000Z"],
    ["5/7/2025", "2025-07-05T05:00:00.000Z"],
    ["15/07/2025 10:30", "2025-07-15T15:30:00.000Z"],
    ["15/07/2025 10:30:45", "2025-07-15T15:30:45.000Z"],
    ["15-07-2025 10:30", "2025-07-15T15:30:00.000Z"],
    ["15.07.2025", "2025-07-15T05:00:00.000Z"],
    ["15/07/2025 10:30:00 a. m.", "2025-07-15T15:30:00.000Z"],
    ["15/07/2025 12:05 a. m.", "2025-07-15T05:05:00.000Z"],
    ["15/07/2025 12:05 p. m.", "2025-07-15T17:05:00.000Z"],
    ["15/07/2025 06:05:00 PM", "2025-07-15T23:05:00.000Z"],
    // Lima evening is the next UTC day.
    ["31/12/2025 23:30", "2026-01-01T04:30:00.000Z"],
    ["29/02/2024", "2024-02-29T05:00:00.000Z"],
    // XLSX: Date cells carry zone-less wall time as if UTC; serials are days since 1899-12-30.
    [new Date(Date.UTC(2025, 6, 15, 10, 30)), "2025-07-15T15:30:00.000Z"],
    [45853, "2025-07-15T05:00:00.000Z"],
    [45853.4375, "2025-07-15T15:30:00.000Z"],
  ])("%j → %s", (cell, expected) => {
    const result = parseSettlementDate(cell);
    expect(result.ok && result.value.toISOString()).toBe(expected);
  });

  it.each<[string | number | Date, string]>([
    ["", "empty"],
    ["mañana", "expected"],
    ["31/02/2025", "no such date"],
    ["29/02/2025", "no such date"],
    ["2025-13-01", "no such date"],
    ["2025-07-15T24:00:00", "no such date"],
    ["15/07/2025 10:61", "no such date"],
    ["15/07/2025 13:00 p. m.", "hour out of range"],
    ["07/15/25", "expected"],
    ["20250715", "expected"],
    ["2025-07-15T10:30:00+25:00", "bad UTC offset"],
    [0, "not an Excel date serial"],
    [20250715, "not an Excel date serial"],
    [new Date(Number.NaN), "not a date"],
  ])("rejects %j", (cell, detail) => {
    const result = parseSettlementDate(cell);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    if (detail === "empty") expect(result.error.kind).toBe("empty");
    else expect(result.error.kind === "invalid_date" && result.error.detail).toContain(detail);
  });

  it("returns a fresh Date each time, even for remembered values", () => {
    const first = parseSettlementDate("22/07/2025");
    const second = parseSettlementDate("22/07/2025");
    expect(first.ok && second.ok && first.value !== second.value).toBe(true);
    expect(first).toEqual(second);
  });
});
