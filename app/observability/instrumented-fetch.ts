import type { AppMetrics, ExternalService } from "./metrics";

/**
 * A fetch that times every call to PagoEfectivo or Shopify and records its result. The operation
 * label is the method and path with ids taken out (CIP numbers, shop names), or the GraphQL
 * operation for Shopify, so the series stay few.
 */
export function instrumentedFetch(service: ExternalService, metrics: AppMetrics, base: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
  return async (input, init) => timed(service, metrics, operationOf(service, input, init), () => base(input, init));
}

/** The same for a client's narrower fetch (PagoEfectivo's keep-alive one answers a BufferedResponse, not a Response). */
export function instrumentedCall<R extends { readonly status: number }>(service: ExternalService, metrics: AppMetrics, base: (input: string, init: RequestInit) => Promise<R>): (input: string, init: RequestInit) => Promise<R> {
  return async (input, init) => timed(service, metrics, operationOf(service, input, init), () => base(input, init));
}

async function timed<R extends { readonly status: number }>(service: ExternalService, metrics: AppMetrics, operation: string, call: () => Promise<R>): Promise<R> {
  const started = performance.now();
  try {
    const response = await call();
    metrics.external({ service, operation, status: response.status, seconds: (performance.now() - started) / 1000 });
    return response;
  } catch (error) {
    metrics.external({ service, operation, status: null, seconds: (performance.now() - started) / 1000 });
    throw error;
  }
}

export function operationOf(service: ExternalService, input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): string {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  const method = (init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET")).toUpperCase();
  if (service === "shopify") {
    const body = typeof init?.body === "string" ? init.body : "";
    // The GraphQL operation name the client sends alongside the document (PaymentSessionResolve, …).
    const name = /"operationName"\s*:\s*"([A-Za-z0-9_]{1,64})"/.exec(body)?.[1];
    return name ?? (url.pathname.endsWith("/graphql.json") ? "graphql" : `${method} other`);
  }
  const path = url.pathname.replace(/^.*?(\/v\d+\/)/, "$1");
  return `${method} ${path.replace(/\/\d+(?=\/|$)/g, "/{id}")}`;
}
