import { type Currency, PAYMENT_STATES, type PaymentQuery, type PaymentSort, type PaymentState, type SortDirection } from "./types";

/**
 * The payments list's filters live in the address bar with the same names the API takes, so a copied
 * link, the back button and the CSV export all see exactly the list on screen.
 */

export const DEFAULT_PAGE_SIZE = 25;

export const DEFAULT_PAYMENT_QUERY: PaymentQuery = {
  state: [],
  from: null,
  to: null,
  currency: null,
  test: null,
  q: "",
  sort: "createdAt",
  direction: "desc",
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parsePaymentQuery(search: string): PaymentQuery {
  const params = new URLSearchParams(search);
  const states = (params.get("state") ?? "")
    .split(",")
    .filter((value): value is PaymentState => (PAYMENT_STATES as readonly string[]).includes(value));
  const currency = params.get("currency");
  const test = params.get("test");
  const sort = params.get("sort");
  const direction = params.get("direction");
  const page = Number(params.get("page"));
  const pageSize = Number(params.get("pageSize"));
  return {
    state: [...new Set(states)],
    from: dateParam(params.get("from")),
    to: dateParam(params.get("to")),
    currency: currency === "PEN" || currency === "USD" ? (currency satisfies Currency) : null,
    test: test === "true" ? true : test === "false" ? false : null,
    q: params.get("q") ?? "",
    sort: sort === "amount" || sort === "state" || sort === "createdAt" ? (sort satisfies PaymentSort) : "createdAt",
    direction: direction === "asc" || direction === "desc" ? (direction satisfies SortDirection) : "desc",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100 ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** `?state=...&page=2`, leaving out defaults so URLs stay short; "" when nothing is set. */
export function paymentQuerySearch(query: PaymentQuery, options: { paging?: boolean } = {}): string {
  const paging = options.paging ?? true;
  const params = new URLSearchParams();
  if (query.state.length > 0) params.set("state", query.state.join(","));
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  if (query.currency) params.set("currency", query.currency);
  if (query.test !== null) params.set("test", String(query.test));
  if (query.q.trim()) params.set("q", query.q.trim());
  if (query.sort !== DEFAULT_PAYMENT_QUERY.sort) params.set("sort", query.sort);
  if (query.direction !== DEFAULT_PAYMENT_QUERY.direction) params.set("direction", query.direction);
  if (paging && query.page !== 1) params.set("page", String(query.page));
  if (paging && query.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function hasPaymentFilters(query: PaymentQuery): boolean {
  return query.state.length > 0 || query.from !== null || query.to !== null || query.currency !== null || query.test !== null || query.q.trim() !== "";
}

function dateParam(value: string | null): string | null {
  return value && ISO_DATE.test(value) ? value : null;
}
