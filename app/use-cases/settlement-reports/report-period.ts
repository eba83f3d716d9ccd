import { z } from "zod";

import { DAY_MS, limaDayStart, limaEpochDay } from "../../domain/lima-time";

/** Report and export dates are Lima calendar days "YYYY-MM-DD" (settlements follow Lima days). */
export const limaDateSchema = z.iso.date();

/** 00:00 Lima of the day (the one Lima-time module, app/domain/lima-time.ts). */
export { limaDayStart };

/** The last millisecond of the Lima day. */
export function limaDayEnd(date: string): Date {
  return new Date(limaDayStart(date).getTime() + DAY_MS - 1);
}

/** "YYYY-MM-DD" of the Lima day an instant falls on. */
export function limaDateOf(instant: Date): string {
  return new Date(limaEpochDay(instant) * DAY_MS).toISOString().slice(0, 10);
}
