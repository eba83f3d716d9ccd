import { z } from "zod";

import { CURRENCIES } from "../../domain/money";
import { PAYMENT_STATES } from "../../domain/payment-session";
import type { PaymentListFilter, PaymentOrder } from "../../ports/admin-read-models";
import { nextDateKey, zonedDayStart } from "../../use-cases/admin-panel/zoned-day";
import { fromZodError } from "../http-error";

/** The query string of GET /api/payments and its CSV export (docs/admin-api.md). */

const dateKey = z.iso.date({ error: "must be a date like 2026-11-27" });

const filtersSchema = z
  .object({
    state: z
      .string()
      .transform((value) => [...new Set(value.split(",").map((s) => s.trim()).filter(Boolean))])
      .pipe(z.array(z.enum(PAYMENT_STATES, { error: `each state must be one of ${PAYMENT_STATES.join(", ")}` })))
      .optional(),
    from: dateKey.optional(),
    to: dateKey.optional(),
    currency: z.enum(CURRENCIES, { error: `must be ${CURRENCIES.join(" or ")}` }).optional(),
    test: z
      .enum(["true", "false"], { error: 'must be "true" or "false"' })
      .transform((value) => value === "true")
      .optional(),
    q: z.string().trim().max(100, "must be at most 100 characters").optional(),
    sort: z.enum(["createdAt", "amount", "state"], { error: "must be createdAt, amount or state" }).default("createdAt"),
    direction: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("desc"),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { path: ["to"], message: "must not be before from" });

const pagingSchema = z.object({
  page: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more").max(1_000_000).default(1),
  pageSize: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 to 100").max(100, "must be 1 to 100").default(25),
});

export interface PaymentsQuery {
  filter: PaymentListFilter;
  order: PaymentOrder;
}

/** Empty parameters (`?state=&q=`) mean "no filter", as an unfilled form sends them. */
export function withoutEmpty(query: unknown): Record<string, unknown> {
  if (query === null || typeof query !== "object") return {};
  return Object.fromEntries(Object.entries(query as Record<string, unknown>).filter(([, value]) => value !== "" && value !== undefined));
}

/** Parses the filters; the `from`/`to` days are read in the shop's time zone. Throws a 400. */
export function parsePaymentsQuery(query: unknown, timeZone: string): PaymentsQuery {
  const parsed = filtersSchema.safeParse(withoutEmpty(query));
  if (!parsed.success) throw fromZodError(parsed.error, "query");
  const value = parsed.data;
  return {
    filter: {
      states: value.state && value.state.length > 0 ? value.state : null,
      createdFrom: value.from ? zonedDayStart(value.from, timeZone) : null,
      createdBefore: value.to ? zonedDayStart(nextDateKey(value.to), timeZone) : null,
      currency: value.currency ?? null,
      test: value.test ?? null,
      q: value.q ? value.q : null,
    },
    order: { field: value.sort, direction: value.direction },
  };
}

export function parsePaging(query: unknown): { page: number; pageSize: number } {
  const source = withoutEmpty(query);
  const parsed = pagingSchema.safeParse({ page: source.page, pageSize: source.pageSize });
  if (!parsed.success) throw fromZodError(parsed.error, "query");
  return parsed.data;
}
