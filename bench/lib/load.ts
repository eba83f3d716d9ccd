import autocannon from "autocannon";

/**
 * One bounded load run with autocannon against 127.0.0.1. Every request may be built on the fly
 * (distinct bodies, signatures, ids), so a run measures the first-time path, not a cache.
 */
export interface LoadRequest {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Builds request number n (0-based, across all connections). Without it every request is `fixed`. */
  next?: (n: number) => LoadRequest;
  fixed?: LoadRequest;
  /** Client certificate and trusted CA for an https/mTLS target. */
  tls?: { cert: string; key: string; ca: string; servername?: string };
  /** The status every answer must have; anything else counts as an error. */
  expectStatus: number;
  /**
   * Requests per second in all (autocannon's overallRate) instead of as fast as answered: the app then batches the
   * same way whatever else runs on the machine, so CPU per request compares between runs (before/after a change).
   */
  rate?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  wrongStatus: number;
  /** A few unexpected statuses seen, for the report. */
  statuses: Record<string, number>;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const statuses: Record<string, number> = {};
  const build = options.next;
  const fixed = options.fixed ?? { path: "/" };
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    pipelining: 1,
    timeout: 30,
    ...(options.rate ? { overallRate: options.rate } : {}),
    ...(options.tls ? { tlsOptions: { cert: options.tls.cert, key: options.tls.key, ca: options.tls.ca }, servername: options.tls.servername ?? "localhost" } : {}),
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const r = build ? build(n++) : fixed;
          request.method = r.method ?? (r.body ? "POST" : "GET");
          request.path = r.path;
          request.headers = r.headers ?? {};
          request.body = r.body;
          return request;
        },
        onResponse: (status: number) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  } as autocannon.Options);
  const result = await instance;
  let wrong = 0;
  for (const [status, count] of Object.entries(statuses)) if (Number(status) !== options.expectStatus) wrong += count;
  return {
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    wrongStatus: wrong,
    statuses,
  };
}
