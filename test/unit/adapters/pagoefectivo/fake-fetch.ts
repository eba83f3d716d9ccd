import { readFileSync } from "node:fs";
import { join } from "node:path";

import { formatLimaDateTime } from "../../../../app/domain/lima-time";
import type { Clock } from "../../../../app/lib/clock";

/** A request as the fake server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** What a scripted handler can do: answer, never answer (until aborted), or fail like a broken socket. */
export type FakeReply = Response | { readonly hang: true } | { readonly fail: unknown };

export type FakeHandler = (request: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeFetch {
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
  /** Requests whose path is `path`. */
  to(path: string): RecordedRequest[];
}

export function createFakeFetch(handler: FakeHandler): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const request: RecordedRequest = {
      method: init?.method ?? "GET",
      url,
      path: new URL(url).pathname,
      headers,
      body: typeof init?.body === "string" ? init.body : undefined,
    };
    const index = requests.push(request) - 1;
    const reply = await handler(request, index);
    if (reply instanceof Response) return reply;
    if ("fail" in reply) throw reply.fail;
    return new Promise<Response>((_resolve, reject) => {
      const signal = init?.signal;
      const abort = () => reject(new DOMException("This operation was aborted", "AbortError"));
      if (signal?.aborted) abort();
      signal?.addEventListener("abort", abort, { once: true });
    });
  };
  return {
    fetch: fakeFetch as typeof fetch,
    requests,
    to: (path) => requests.filter((request) => request.path === path),
  };
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/** A 201 from /v1/authorizations whose token lasts `lifetimeSeconds` from the clock's now. */
export function authorizationReply(clock: Clock, token: string, lifetimeSeconds = 2 * 60 * 60): Response {
  const start = clock.now();
  const expires = new Date(start.getTime() + lifetimeSeconds * 1000);
  return jsonResponse(201, {
    code: "100",
    message: "Solicitud exitosa.",
    data: {
      token,
      codeService: "SRV",
      tokenStart: formatLimaDateTime(start),
      tokenExpires: formatLimaDateTime(expires),
    },
  });
}

/** A network failure shaped like undici's: TypeError("fetch failed") with the socket error as cause. */
export function networkFailure(code: string): { fail: unknown } {
  const cause = Object.assign(new Error(`connect ${code}`), { code });
  return { fail: new TypeError("fetch failed", { cause }) };
}

const FIXTURES = join(import.meta.dirname, "../../../fixtures/pagoefectivo");

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}
