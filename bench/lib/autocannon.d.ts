// The part of autocannon 8's API the benchmarks use (the package ships no type declarations).
declare module "autocannon" {
  namespace autocannon {
    interface RequestSpec {
      setupRequest?: (request: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>;
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      amount?: number;
      pipelining?: number;
      timeout?: number;
      servername?: string;
      tlsOptions?: Record<string, unknown>;
      requests?: RequestSpec[];
    }
    interface Histogram {
      p50: number;
      p90: number;
      p99: number;
      max: number;
      mean: number;
    }
    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      latency: Histogram;
      requests: Histogram & { total: number };
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
