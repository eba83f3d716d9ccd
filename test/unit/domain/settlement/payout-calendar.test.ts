import { describe, expect, it } from "vitest";

import {
  addBusinessDays,
  expectedPayoutDate,
  isBusinessDay,
  type PayoutCycle,
  payoutDaysFor,
  PeruBusinessCalendar,
  peruBusinessCalendar,
} from "../../../../app/domain/settlement/payout-calendar";

/** An instant written as Lima wall time. */
const lima = (wall: string) => new Date(`${wall}-05:00`);
/** 00:00 Lima of a date: what the calendar returns. */
const limaDay = (date: string) => lima(`${date}T00:00:00`);

describe("Peruvian public holidays (as date-holidays returns them)", () => {
  it.each([
    ["2025-01-01", "Año Nuevo"],
    ["2025-04-17", "Jueves Santo"],
    ["2025-04-18", "Viernes Santo"],
    ["2025-05-01", "Día del Trabajo"],
    ["2024-06-07", "Batalla de Arica y Día de la Bandera (a Friday; national holiday since 2024)"],
    ["2025-06-29", "San Pedro y San Pablo"],
    ["2025-07-23", "Día de la Fuerza Aérea"],
    ["2025-07-28", "Fiestas Patrias"],
    ["2025-07-29", "Fiestas Patrias"],
    ["2025-08-06", "Batalla de Junín"],
    ["2025-08-30", "Santa Rosa de Lima"],
    ["2025-10-08", "Combate de Angamos"],
    ["2025-11-01", "Todos los Santos"],
    ["2025-12-08", "Inmaculada Concepción"],
    ["2025-12-09", "Batalla de Ayacucho"],
    ["2025-12-25", "Navidad"],
    ["2026-04-02", "Jueves Santo 2026"],
    ["2026-04-03", "Viernes Santo 2026"],
  ])("%s (%s) is a holiday and not a business day", (date) => {
    expect(peruBusinessCalendar().isHoliday(limaDay(date))).toBe(true);
    expect(isBusinessDay(lima(`${date}T12:00:00`))).toBe(false);
  });

  it("has 7 June from 2024 on only, as the library encodes the law", () => {
    const calendar = peruBusinessCalendar();
    expect(calendar.holidaysOf(2023)).not.toContain("2023-06-07");
    expect(calendar.holidaysOf(2024)).toContain("2024-06-07");
    expect(calendar.holidaysOf(2025)).toContain("2025-06-07");
  });

  it("lists a year's holidays sorted", () => {
    const days = peruBusinessCalendar().holidaysOf(2025);
    expect(days).toEqual([...days].sort());
    expect(days).toContain("2025-07-28");
    expect(days.every((day) => day.startsWith("2025-"))).toBe(true);
  });
});

describe("isBusinessDay", () => {
  it.each([
    ["2025-07-30T09:00:00", true, "Wednesday after Fiestas Patrias"],
    ["2025-07-25T09:00:00", true, "Friday"],
    ["2025-07-26T09:00:00", false, "Saturday"],
    ["2025-07-27T09:00:00", false, "Sunday"],
    ["2025-04-16T09:00:00", true, "Wednesday before Jueves Santo"],
    ["2024-06-06T09:00:00", true, "Thursday before 7 June 2024"],
    ["2025-12-24T23:59:59", true, "Christmas Eve, last second"],
    ["2025-12-25T00:00:00", false, "Christmas, first second"],
  ])("%s Lima → %s (%s)", (wall, expected) => {
    expect(isBusinessDay(lima(wall))).toBe(expected);
  });

  it("decides by the Lima calendar day, not the UTC one", () => {
    // 03:00Z on Wednesday 30 July is still Tuesday 29 July (a holiday) in Lima.
    expect(isBusinessDay(new Date("2025-07-30T03:00:00Z"))).toBe(false);
    // 04:00Z on Saturday 26 July is Friday 25 July 23:00 in Lima.
    expect(isBusinessDay(new Date("2025-07-26T04:00:00Z"))).toBe(true);
  });
});

describe("addBusinessDays", () => {
  it.each([
    ["2025-07-25", 1, "2025-07-30", "Friday + 1 skips the weekend and 28-29 July"],
    ["2025-07-22", 1, "2025-07-24", "skips 23 July"],
    ["2025-12-05", 1, "2025-12-10", "skips the weekend and 8-9 December"],
    ["2025-12-24", 1, "2025-12-26", "skips Christmas"],
    ["2025-04-16", 1, "2025-04-21", "skips Jueves and Viernes Santo and the weekend"],
    ["2024-06-06", 1, "2024-06-10", "skips 7 June 2024 and the weekend"],
    ["2025-07-14", 5, "2025-07-21", "a plain week"],
    ["2025-07-26", 0, "2025-07-26", "n = 0 is the start day, business or not"],
  ])("%s + %i → %s (%s)", (from, n, expected) => {
    expect(addBusinessDays(lima(`${from}T15:45:00`), n)).toEqual(limaDay(expected));
  });

  it("returns 00:00 Lima, i.e. 05:00 UTC", () => {
    expect(addBusinessDays(lima("2025-07-14T10:00:00"), 1).toISOString()).toBe("2025-07-15T05:00:00.000Z");
  });

  it("refuses negative or fractional day counts", () => {
    expect(() => addBusinessDays(lima("2025-07-14T10:00:00"), -1)).toThrow(RangeError);
    expect(() => addBusinessDays(lima("2025-07-14T10:00:00"), 1.5)).toThrow(RangeError);
  });

  it("crosses into a year it has not loaded yet", () => {
    expect(addBusinessDays(lima("2025-12-31T10:00:00"), 1)).toEqual(limaDay("2026-01-02"));
  });
});

describe("expectedPayoutDate", () => {
  const cycle: PayoutCycle = { daysByChannel: { Agentes: 3, "Banca por Internet": 1 }, defaultDays: 2, cutoffHour: 17 };

  it.each([
    ["online banking, Friday morning: T+1 skips 28-29 July", "2025-07-25T10:00:00", "Banca por Internet", "2025-07-30"],
    ["online banking, Thursday before the cut-off", "2025-07-24T16:59:59", "Banca por Internet", "2025-07-25"],
    ["online banking, Thursday at the cut-off counts from Friday", "2025-07-24T17:00:00", "Banca por Internet", "2025-07-30"],
    ["cash at an agent settles later: Monday + 3", "2025-07-14T10:00:00", "Agentes", "2025-07-17"],
    ["a Saturday payment counts from the next business day (Wednesday 30 July)", "2025-07-26T10:00:00", "agentes", "2025-08-04"],
    ["unknown channel: default T+2", "2025-12-01T10:00:00", "Yape", "2025-12-03"],
    ["no channel: default T+2, skipping 8-9 December", "2025-12-05T10:00:00", null, "2025-12-11"],
    ["the cut-off is Lima time: 22:30 Lima is 03:30Z the next UTC day", "2025-07-21T22:30:00", "Banca por Internet", "2025-07-24"],
  ])("%s", (_what, paidAt, channel, expected) => {
    expect(expectedPayoutDate(lima(paidAt), channel, cycle)).toEqual(limaDay(expected));
  });

  it("without a cut-off, a late-evening payment counts from its own day", () => {
    const noCutoff: PayoutCycle = { daysByChannel: {}, defaultDays: 1 };
    expect(expectedPayoutDate(lima("2025-07-24T23:30:00"), null, noCutoff)).toEqual(limaDay("2025-07-25"));
  });

  it("honours extra closed days decreed outside the library", () => {
    const calendar = new PeruBusinessCalendar({ extraClosedDays: ["2025-07-30"] });
    expect(calendar.expectedPayoutDate(lima("2025-07-25T10:00:00"), "Banca por Internet", cycle)).toEqual(limaDay("2025-07-31"));
    expect(() => new PeruBusinessCalendar({ extraClosedDays: ["30/07/2025"] })).toThrow(RangeError);
  });

  it("matches channel names ignoring case and accents", () => {
    expect(payoutDaysFor({ daysByChannel: { "Banca Móvil": 1 }, defaultDays: 4 }, "BANCA MOVIL")).toBe(1);
    expect(payoutDaysFor({ daysByChannel: { "Banca Móvil": 1 }, defaultDays: 4 }, undefined)).toBe(4);
  });
});
