import { describe, expect, it } from "vitest";

import {
  expectedCommission,
  feeEntryProblems,
  type FeeSchedule,
  selectFeeEntry,
} from "../../../../app/domain/settlement/fee-schedule";

const lima = (iso: string) => new Date(`${iso}-05:00`);

// Figures invented for the tests: PagoEfectivo publishes no fee schedule.
const schedule: FeeSchedule = [
  { currency: "PEN", channel: "*", percentBps: 250, fixedMinor: 50, effectiveFrom: lima("2025-01-01T00:00:00") },
  { currency: "PEN", channel: "Agentes", percentBps: 300, fixedMinor: 100, effectiveFrom: lima("2025-01-01T00:00:00") },
  { currency: "PEN", channel: "*", percentBps: 200, fixedMinor: 0, effectiveFrom: lima("2025-08-01T00:00:00") },
  { currency: "USD", channel: "*", percentBps: 250, fixedMinor: 20, effectiveFrom: lima("2025-01-01T00:00:00") },
  { currency: "PEN", channel: "Billeteras", percentBps: 100, fixedMinor: 0, taxBps: 1800, effectiveFrom: lima("2025-01-01T00:00:00") },
];

describe("expectedCommission", () => {
  it.each([
    // [what, amountMinor, currency, channel, paymentDate, expected]
    ["general rate: 15000 × 2.5% + 50 = 425", 15000, "PEN", "Banca por Internet", "2025-07-15T10:00:00", 425],
    ["channel rate: 15000 × 3% + 100 = 550", 15000, "PEN", "Agentes", "2025-07-15T10:00:00", 550],
    ["channel matched ignoring case and accents", 15000, "PEN", "AGENTES ", "2025-07-15T10:00:00", 550],
    ["half-up: 1020 × 2.5% = 25.5 → 26, + 50", 1020, "PEN", "Banca", "2025-07-15T10:00:00", 76],
    ["below half rounds down: 1010 × 2.5% = 25.25 → 25, + 50", 1010, "PEN", "Banca", "2025-07-15T10:00:00", 75],
    ["USD has its own entry: 2000 × 2.5% + 20", 2000, "USD", "Banca", "2025-07-15T10:00:00", 70],
    ["newer general entry from 1 August: 15000 × 2%", 15000, "PEN", "Banca", "2025-08-01T00:00:00", 300],
    ["a channel entry beats a newer general one", 15000, "PEN", "Agentes", "2025-08-15T00:00:00", 550],
    ["the day before the newer entry still uses the old one", 15000, "PEN", "Banca", "2025-07-31T23:59:59", 425],
    ["unknown channel uses the general rate", 15000, "PEN", null, "2025-07-15T10:00:00", 425],
    ["tax on top: 10000 × 1% = 100, IGV 18% = 18", 10000, "PEN", "Billeteras", "2025-07-15T10:00:00", 118],
    ["tax rounds half-up too: 2750 × 1% = 27.5 → 28; 28 × 18% = 5.04 → 5", 2750, "PEN", "Billeteras", "2025-07-15T10:00:00", 33],
    ["a reversal mirrors the payment", -15000, "PEN", "Agentes", "2025-07-15T10:00:00", -550],
  ] as const)("%s", (_what, amountMinor, currency, channel, date, expected) => {
    expect(expectedCommission(schedule, { amountMinor, currency, channel, paymentDate: lima(date) })).toBe(expected);
  });

  it("is null before the first entry takes effect", () => {
    expect(
      expectedCommission(schedule, { amountMinor: 15000, currency: "PEN", channel: "Agentes", paymentDate: lima("2024-12-31T23:59:59") }),
    ).toBeNull();
  });

  it("is null for a currency with no entry and without a payment date", () => {
    expect(expectedCommission([], { amountMinor: 100, currency: "PEN", channel: null, paymentDate: lima("2025-07-15T00:00:00") })).toBeNull();
    expect(expectedCommission(schedule, { amountMinor: 100, currency: "PEN", channel: "Agentes", paymentDate: null })).toBeNull();
  });

  it("stays exact at PagoEfectivo's maximum amount", () => {
    // S/ 385 000.00 × 2.5% = 962 500 céntimos, + 50.
    expect(
      expectedCommission(schedule, { amountMinor: 38_500_000, currency: "PEN", channel: "Banca", paymentDate: lima("2025-07-15T00:00:00") }),
    ).toBe(962_550);
  });
});

describe("selectFeeEntry", () => {
  it("among entries of one channel, takes the latest in force", () => {
    const twoAgentRates: FeeSchedule = [
      { currency: "PEN", channel: "Agentes", percentBps: 300, fixedMinor: 0, effectiveFrom: lima("2025-01-01T00:00:00") },
      { currency: "PEN", channel: "agentes", percentBps: 350, fixedMinor: 0, effectiveFrom: lima("2025-06-01T00:00:00") },
    ];
    const entry = selectFeeEntry(twoAgentRates, { amountMinor: 1, currency: "PEN", channel: "Agentes", paymentDate: lima("2025-07-01T00:00:00") });
    expect(entry?.percentBps).toBe(350);
  });
});

describe("feeEntryProblems", () => {
  it("accepts a sane entry and names what is wrong with a bad one", () => {
    const good = schedule[0];
    if (!good) throw new Error("fixture");
    expect(feeEntryProblems(good)).toEqual([]);
    expect(
      feeEntryProblems({ currency: "PEN", channel: " ", percentBps: 2.5, fixedMinor: -1, taxBps: 20_000, effectiveFrom: new Date(Number.NaN) }),
    ).toHaveLength(5);
  });
});
