import { describe, expect, it } from "vitest";

import {
  buildSettlementReport,
  periodOfDay,
  type ReportLine,
} from "../../../../app/domain/settlement/settlement-report";

const lima = (wall: string) => new Date(`${wall}-05:00`);

// The five lines of test/fixtures/settlement/portal-export-semicolon.csv.
const lines: ReportLine[] = [
  { amountMinor: 15000, currency: "PEN", paymentDate: lima("2025-07-15T10:30:00"), payoutDate: lima("2025-07-22T00:00:00"), channel: "Agentes", commissionMinor: 550, netMinor: 14450 },
  { amountMinor: 123450, currency: "PEN", paymentDate: lima("2025-07-15T18:05:00"), payoutDate: lima("2025-07-17T00:00:00"), channel: "Banca por Internet", commissionMinor: 3136, netMinor: 120314 },
  { amountMinor: 2000, currency: "USD", paymentDate: lima("2025-07-16T09:00:00"), payoutDate: lima("2025-07-18T00:00:00"), channel: "Banca por Internet", commissionMinor: 70, netMinor: 1930 },
  { amountMinor: 8000, currency: "PEN", paymentDate: lima("2025-07-16T00:00:00"), payoutDate: lima("2025-07-23T00:00:00"), channel: "Agentes", commissionMinor: 340, netMinor: 7660 },
  { amountMinor: 9990, currency: "PEN", paymentDate: lima("2025-07-28T12:00:00"), payoutDate: lima("2025-08-05T00:00:00"), channel: "agentes", commissionMinor: 400, netMinor: 9590 },
];

const summary = (report: ReturnType<typeof buildSettlementReport>) =>
  report.rows.map((row) => [row.period, row.channel, row.currency, row.count, row.grossMinor, row.commissionMinor, row.netMinor]);

describe("buildSettlementReport", () => {
  it("totals per currency, never adding PEN and USD", () => {
    const report = buildSettlementReport(lines, { granularity: "month" });
    // PEN: 150.00 + 1234.50 + 80.00 + 99.90 = 1564.40; 5.50 + 31.36 + 3.40 + 4.00 = 44.26; net 1520.14.
    expect(report.totals.PEN).toEqual({ count: 4, grossMinor: 156440, commissionMinor: 4426, netMinor: 152014, linesWithoutCommission: 0 });
    expect(report.totals.USD).toEqual({ count: 1, grossMinor: 2000, commissionMinor: 70, netMinor: 1930, linesWithoutCommission: 0 });
  });

  it("groups by Lima day, channel (case-insensitively) and currency", () => {
    const report = buildSettlementReport(lines, { granularity: "day" });
    expect(summary(report)).toEqual([
      ["2025-07-15", "Agentes", "PEN", 1, 15000, 550, 14450],
      ["2025-07-15", "Banca por Internet", "PEN", 1, 123450, 3136, 120314],
      ["2025-07-16", "Agentes", "PEN", 1, 8000, 340, 7660],
      ["2025-07-16", "Banca por Internet", "USD", 1, 2000, 70, 1930],
      ["2025-07-28", "agentes", "PEN", 1, 9990, 400, 9590],
    ]);
    expect(report.rows[0]?.periodStart).toEqual(lima("2025-07-15T00:00:00"));
  });

  it("groups by ISO week starting on Monday", () => {
    const report = buildSettlementReport(lines, { granularity: "week" });
    expect(summary(report)).toEqual([
      // 14-20 July 2025 is ISO week 29: 150.00 + 80.00 at agents.
      ["2025-W29", "Agentes", "PEN", 2, 23000, 890, 22110],
      ["2025-W29", "Banca por Internet", "PEN", 1, 123450, 3136, 120314],
      ["2025-W29", "Banca por Internet", "USD", 1, 2000, 70, 1930],
      ["2025-W31", "agentes", "PEN", 1, 9990, 400, 9590],
    ]);
    expect(report.rows[0]?.periodStart).toEqual(lima("2025-07-14T00:00:00"));
  });

  it("groups by month and can date lines by payout instead of payment", () => {
    const byPayment = buildSettlementReport(lines, { granularity: "month" });
    expect(summary(byPayment)).toEqual([
      ["2025-07", "Agentes", "PEN", 3, 32990, 1290, 31700],
      ["2025-07", "Banca por Internet", "PEN", 1, 123450, 3136, 120314],
      ["2025-07", "Banca por Internet", "USD", 1, 2000, 70, 1930],
    ]);
    const byPayout = buildSettlementReport(lines, { granularity: "month", dateBasis: "payout" });
    expect(summary(byPayout).map((row) => [row[0], row[1], row[3]])).toEqual([
      ["2025-07", "Agentes", 2],
      ["2025-07", "Banca por Internet", 1],
      ["2025-07", "Banca por Internet", 1],
      ["2025-08", "agentes", 1],
    ]);
  });

  it("derives net from commission when the line has no net, and counts lines without commission", () => {
    const report = buildSettlementReport(
      [
        { amountMinor: 10000, currency: "PEN", paymentDate: lima("2025-07-15T10:00:00"), channel: "Agentes", commissionMinor: 300 },
        { amountMinor: 5000, currency: "PEN", paymentDate: lima("2025-07-15T11:00:00"), channel: "Agentes" },
        { amountMinor: 700, currency: "PEN", paymentDate: null, channel: null },
      ],
      { granularity: "day" },
    );
    expect(report.rows.map((row) => [row.period, row.channel, row.netMinor, row.linesWithoutCommission])).toEqual([
      ["2025-07-15", "Agentes", 9700 + 5000, 1],
      [null, null, 700, 1],
    ]);
  });

  it("is empty for no lines", () => {
    const report = buildSettlementReport([], { granularity: "day" });
    expect(report.rows).toEqual([]);
    expect(report.totals.PEN.count).toBe(0);
  });
});

describe("periodOfDay", () => {
  const day = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;

  it.each([
    ["2025-12-29", "2026-W01", "2025-12-29", "a Monday in December can open week 1 of the next ISO year"],
    ["2027-01-01", "2026-W53", "2026-12-28", "1 January can belong to the last week of the year before"],
    ["2025-07-20", "2025-W29", "2025-07-14", "Sunday closes the week"],
    ["2025-07-21", "2025-W30", "2025-07-21", "Monday opens the week"],
  ])("%s is in %s starting %s (%s)", (date, key, start) => {
    const period = periodOfDay(day(date), "week");
    expect(period.key).toBe(key);
    expect(period.start).toEqual(lima(`${start}T00:00:00`));
  });

  it("gives months their first day", () => {
    expect(periodOfDay(day("2024-02-29"), "month")).toEqual({ key: "2024-02", start: lima("2024-02-01T00:00:00") });
  });
});
