import { pagingQuery, paymentListQuery } from "../../contracts/admin-api";
import type { PaymentListFilter, PaymentOrder } from "../../ports/admin-read-models";
import { nextDateKey, zonedDayStart } from "../../use-cases/admin-panel/zoned-day";
import { fromZodError } from "../http-error";

/** The query string of GET /api/payments and its CSV export (docs/admin-api.md; schemas in app/contracts/admin-api). */

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
  const parsed = paymentListQuery.safeParse(withoutEmpty(query));
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
  const parsed = pagingQuery.safeParse({ page: source.page, pageSize: source.pageSize });
  if (!parsed.success) throw fromZodError(parsed.error, "query");
  return parsed.data;
}
