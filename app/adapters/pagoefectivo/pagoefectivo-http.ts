import { performance } from "node:perf_hooks";

import type { Logger } from "../../lib/logger";
import type { PagoEfectivoOperation } from "./pagoefectivo-errors";

export interface HttpRequest {
  readonly operation: PagoEfectivoOperation;
  readonly method: "POST" | "PATCH" | "DELETE";
  readonly baseUrl: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export type HttpOutcome =
  /** json is undefined when the body is empty or not JSON. */
  | { readonly kind: "response"; readonly status: number; readonly json: unknown }
  | { readonly kind: "timeout" }
  /** requestMayHaveArrived is false only when the failure happened before anything was sent (e.g. refused). */
  | { readonly kind: "network"; readonly requestMayHaveArrived: boolean; readonly errorCode: string | null };

export interface HttpDeps {
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly timeoutMs: number;
}

/**
 * Failures that happen while connecting, before a byte of the request leaves: the server cannot have
 * acted on it. Anything else (reset, socket closed, our own timeout) may come after the server got it.
 */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
]);

/**
 * One HTTP exchange with a hard deadline covering headers and body. Never throws. Logs method, path,
 * status and duration only: never headers (the token) or bodies (personal data, hashString).
 */
export async function sendHttpRequest(deps: HttpDeps, request: HttpRequest): Promise<HttpOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const clearDeadline = armDeadline(controller, deps.timeoutMs);
  const logFields = { operation: request.operation, method: request.method, path: request.path };
  const duration = () => Math.round(performance.now() - started);
  try {
    const response = await deps.fetch(`${request.baseUrl}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: controller.signal,
      redirect: "error",
    });
    const text = await response.text();
    // A 2xx exchange at debug level: each checkout already logs its outcome ("CIP issued"), and every call's
    // duration and status are in the metrics (pagoefectivo external calls); an info line per call cost a log write
    // per payment session on the hot path (issue #13). Other statuses stay at info, failures warn below.
    const level = response.status >= 200 && response.status < 300 ? "debug" : "info";
    deps.logger[level]({ pagoefectivo: { ...logFields, status: response.status, durationMs: duration() } }, "PagoEfectivo request");
    return { kind: "response", status: response.status, json: parseJson(text) };
  } catch (error) {
    if (controller.signal.aborted) {
      deps.logger.warn({ pagoefectivo: { ...logFields, outcome: "timeout", durationMs: duration() } }, "PagoEfectivo request timed out");
      return { kind: "timeout" };
    }
    const codes = errorCodes(error);
    const notSent = codes.length > 0 && codes.every((code) => NOT_SENT_CODES.has(code));
    deps.logger.warn(
      { pagoefectivo: { ...logFields, outcome: "network_error", errorCode: codes[0] ?? null, durationMs: duration() } },
      "PagoEfectivo request failed",
    );
    return { kind: "network", requestMayHaveArrived: !notSent, errorCode: codes[0] ?? null };
  } finally {
    clearDeadline();
  }
}

/** A deadline timer that fires this much later than asked for means the event loop was blocked meanwhile. */
const BLOCKED_LOOP_MS = 100;

/**
 * Aborts the exchange after `timeoutMs`, counting only time the process could listen. When the event loop was
 * blocked (a synchronous SQLite statement waiting out its busy timeout when another process holds the write lock,
 * issue #10; a long GC pause), the deadline fires before the answer that arrived meanwhile is read, because timers
 * run before I/O in each turn of the loop. For a CIP creation that lost answer means a CIP of unknown number
 * ("creation unconfirmed"), which polling can never find: the database-outage chaos scenario lost payments this
 * way. So the deadline always lets the turn's I/O run before it aborts (setImmediate runs after it), and a deadline
 * that fired late (the loop was blocked past it) gives I/O a grace of up to `timeoutMs` more.
 */
function armDeadline(controller: AbortController, timeoutMs: number): () => void {
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  const arm = (ms: number, graceLeft: boolean) => {
    const due = performance.now() + ms;
    timer = setTimeout(() => {
      const late = performance.now() - due;
      if (graceLeft && late > BLOCKED_LOOP_MS) arm(Math.min(late, timeoutMs), false);
      else immediate = setImmediate(() => controller.abort());
    }, ms);
  };
  arm(timeoutMs, true);
  return () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Error codes along the cause chain (undici wraps the socket error in `cause`, sometimes an AggregateError). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (depth > 5 || typeof error !== "object" || error === null) return [];
  const codes: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string") codes.push(code);
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...errorCodes(inner, depth + 1));
  codes.push(...errorCodes(cause, depth + 1));
  return codes;
}
