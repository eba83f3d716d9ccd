import { z } from "zod";

import { DAY_MS, limaEpochDay, limaMidnight } from "../../domain/lima-time";

/** Report and export dates are Lima calendar days "YYYY-MM-DD" (settlements follow Lima days). */
export const limaDateSchema = z.iso.date();

/** 00:00 Lima of the day. */
export function limaDayStart(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return limaMidnight(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

/** The last millisecond of the Lima day. */
export function limaDayEnd(date: string): Date {
  return new Date(limaDayStart(date).getTime() + DAY_MS - 1);
}

/** "YYYY-MM-DD" of the Lima day an instant falls on. */
export function limaDateOf(instant: Date): string {
  return new Date(limaEpochDay(instant) * DAY_MS).toISOString().slice(0, 10);
}
