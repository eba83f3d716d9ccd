import type { ExceptionQuery, ExceptionStatus } from "../../api/reconciliation-types";

/** The exceptions list's state in the address bar: ?status=open|resolved|all&kind=a,b&page=n&exception=id. */
export interface ExceptionsView {
  query: ExceptionQuery;
  /** The tab: a status, or every exception. */
  tab: ExceptionStatus | "all";
  /** The exception whose detail is open. */
  exceptionId: string | null;
}

export const EXCEPTIONS_PAGE_SIZE = 25;
const TABS = ["open", "resolved", "all"] as const;

export function parseExceptionsView(search: string): ExceptionsView {
  const params = new URLSearchParams(search);
  const status = params.get("status");
  const tab = (TABS as readonly string[]).includes(status ?? "") ? (status as ExceptionsView["tab"]) : "open";
  const kind = (params.get("kind") ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter((value) => /^[a-z_]{1,60}$/.test(value));
  const page = Number(params.get("page"));
  return {
    tab,
    query: {
      status: tab === "all" ? null : tab,
      kind,
      page: Number.isInteger(page) && page >= 1 ? page : 1,
      pageSize: EXCEPTIONS_PAGE_SIZE,
    },
    exceptionId: params.get("exception") || null,
  };
}

export function exceptionsViewSearch(view: ExceptionsView): string {
  const params = new URLSearchParams();
  if (view.tab !== "open") params.set("status", view.tab);
  if (view.query.kind.length > 0) params.set("kind", view.query.kind.join(","));
  if (view.query.page > 1) params.set("page", String(view.query.page));
  if (view.exceptionId) params.set("exception", view.exceptionId);
  const search = params.toString();
  return search ? `?${search}` : "";
}
