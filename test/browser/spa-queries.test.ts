import { describe, expect, it } from "vitest";

import { AdminClient, type ApiError } from "../../web/src/api/admin-client";
import { DEFAULT_PAYMENT_QUERY } from "../../web/src/api/payment-query";
import { ApiFailure, createQueryClient, isRetryable, MAX_RETRIES, shouldRetry, valueOf } from "../../web/src/api/query-client";
import { queryKeys } from "../../web/src/api/query-keys";

/** The panel's data layer on TanStack Query: one cache key per endpoint and parameters, and who is retried. */

const server = (status: number, code = `http_${status}`): ApiError => ({ kind: "server", status, code, params: {}, message: "", fieldErrors: [] });

describe("query keys", () => {
  const exceptionQuery = { status: "open" as const, kind: [], page: 1, pageSize: 25 };
  const report = { granularity: "day" as const, basis: "payment" as const, from: null, to: null };
  const keys = [
    queryKeys.session,
    queryKeys.setup,
    queryKeys.summaryToday,
    queryKeys.settings,
    queryKeys.paymentList(DEFAULT_PAYMENT_QUERY),
    queryKeys.paymentList({ ...DEFAULT_PAYMENT_QUERY, page: 2 }),
    queryKeys.payment("ps_1"),
    queryKeys.refundList("awaiting_merchant", 1, 1),
    queryKeys.refundList("awaiting_merchant", 1, 20),
    queryKeys.deadLetterList(1, 20),
    queryKeys.reconciliationStatus,
    queryKeys.run("ps_1"),
    queryKeys.exceptionList(exceptionQuery),
    queryKeys.exceptionsOfPayment("ps_1"),
    queryKeys.exception("ps_1"),
    queryKeys.importList(1, 5),
    queryKeys.importStatus("ps_1"),
    queryKeys.fees,
    queryKeys.payoutTerms,
    queryKeys.report(report),
    queryKeys.upcomingPayouts(14),
    queryKeys.insights({ from: null, to: null }),
  ];
  const startsWith = (key: readonly unknown[], prefix: readonly unknown[]) => prefix.every((part, i) => JSON.stringify(key[i]) === JSON.stringify(part));

  it("never lets two endpoints (or two parameter sets) share a key, nor one key prefix another", () => {
    const texts = keys.map((key) => JSON.stringify(key));
    expect(new Set(texts).size).toBe(keys.length);
    for (const a of keys) for (const b of keys) if (a !== b) expect(startsWith(a, b), `${JSON.stringify(a)} under ${JSON.stringify(b)}`).toBe(false);
    // The payment's detail and its exceptions were once one key, so one answer showed as the other.
    expect(queryKeys.payment("ps_1")).not.toEqual(queryKeys.exceptionsOfPayment("ps_1"));
  });

  it("nests them so a mutation invalidates a family by its prefix", () => {
    expect(startsWith(queryKeys.payment("ps_1"), queryKeys.payments)).toBe(true);
    expect(startsWith(queryKeys.paymentList(DEFAULT_PAYMENT_QUERY), queryKeys.payments)).toBe(true);
    expect(startsWith(queryKeys.exceptionsOfPayment("ps_1"), queryKeys.exceptions)).toBe(true);
    expect(startsWith(queryKeys.exceptions, queryKeys.reconciliation)).toBe(true);
    expect(startsWith(queryKeys.reconciliationStatus, queryKeys.reconciliation)).toBe(true);
    expect(startsWith(queryKeys.importList(1, 5), queryKeys.imports)).toBe(true);
    expect(startsWith(queryKeys.upcomingPayouts(14), queryKeys.reports)).toBe(true);
    expect(startsWith(queryKeys.refundList("awaiting_merchant", 1, 1), queryKeys.refunds)).toBe(true);
  });
});

describe("retry policy", () => {
  it("retries the network and 5xx (503 database_unavailable too), never a 4xx, a 401 or a broken answer", () => {
    expect(isRetryable({ kind: "network", message: "offline" })).toBe(true);
    expect(isRetryable(server(503, "database_unavailable"))).toBe(true);
    expect(isRetryable(server(500))).toBe(true);
    expect(isRetryable(server(400, "bad_request"))).toBe(false);
    expect(isRetryable(server(404, "not_found"))).toBe(false);
    expect(isRetryable(server(409, "conflict"))).toBe(false);
    expect(isRetryable({ kind: "unauthenticated", message: "" })).toBe(false);
    expect(isRetryable(server(200, "bad_response"))).toBe(false);
    expect(shouldRetry(0, new ApiFailure(server(503)))).toBe(true);
    expect(shouldRetry(MAX_RETRIES, new ApiFailure(server(503)))).toBe(false);
    expect(shouldRetry(0, new Error("a bug"))).toBe(false);
  });

  function fakeFetch(statuses: number[]) {
    let calls = 0;
    const setup = { steps: { credentials: true, connectionTested: true, notificationUrlConfirmed: true, activated: true }, notificationUrl: "https://x/webhooks/pagoefectivo/k" };
    const fetch = (async () => {
      const status = statuses[calls++] ?? 200;
      const body = status === 200 ? setup : { error: { code: status === 503 ? "database_unavailable" : "not_found", message: "no" } };
      return new Response(JSON.stringify(body), { status });
    }) as unknown as typeof globalThis.fetch;
    return { fetch, calls: () => calls };
  }

  it("the panel's query client asks again after a 503 and gets the answer, parsed with the contract", async () => {
    const { fetch, calls } = fakeFetch([503, 200]);
    const client = new AdminClient({ fetch });
    const value = await createQueryClient().fetchQuery({ queryKey: queryKeys.setup, queryFn: () => valueOf(client.setup()) });
    expect(value.steps.activated).toBe(true);
    expect(calls()).toBe(2);
  });

  it("and gives up at once on a 404, with the server's error code", async () => {
    const { fetch, calls } = fakeFetch([404, 200]);
    const client = new AdminClient({ fetch });
    const failure = await createQueryClient()
      .fetchQuery({ queryKey: queryKeys.setup, queryFn: () => valueOf(client.setup()) })
      .catch((error: unknown) => error);
    expect(failure instanceof ApiFailure && failure.apiError.kind === "server" && failure.apiError.code).toBe("not_found");
    expect(calls()).toBe(1);
  });
});
