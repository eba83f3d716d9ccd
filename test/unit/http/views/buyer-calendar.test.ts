import { describe, expect, it } from "vitest";

import { cipReminderIcs } from "../../../../app/http/views/buyer-calendar";

describe("cipReminderIcs", () => {
  const ics = cipReminderIcs({
    uid: "cip-2538766@pagoefectivo-for-shopify",
    summary: "Pagar el CIP 2538766 (Tienda Ñandú; Lima, Perú)",
    description: "Paga S/ 150.00 con el código PagoEfectivo 2538766 antes de que venza. Una línea larga para obligar a partirla en varias líneas del archivo.",
    url: "https://app.example.pe/pay/tok_123",
    expiresAt: new Date("2026-11-28T20:30:00Z"),
    now: new Date("2026-11-27T20:30:00Z"),
  });

  it("is one VEVENT ending at the expiry, starting an hour before, with a reminder", () => {
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics).toContain("\r\nDTSTART:20261128T193000Z\r\n");
    expect(ics).toContain("\r\nDTEND:20261128T203000Z\r\n");
    expect(ics).toContain("\r\nDTSTAMP:20261127T203000Z\r\n");
    expect(ics).toContain("BEGIN:VALARM\r\nACTION:DISPLAY");
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });

  it("escapes TEXT values and folds long lines at 75 octets without splitting a character", () => {
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain("SUMMARY:Pagar el CIP 2538766 (Tienda Ñandú\\; Lima\\, Perú)");
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(ics).not.toContain("\uFFFD");
  });

  it("starts no earlier than now when the code expires within the hour", () => {
    const soon = cipReminderIcs({ uid: "u", summary: "s", description: "d", url: null, expiresAt: new Date("2026-11-27T20:40:00Z"), now: new Date("2026-11-27T20:30:00Z") });
    expect(soon).toContain("DTSTART:20261127T203000Z");
    expect(soon).not.toContain("URL:");
  });
});
