import { randomUUID } from "node:crypto";

import type { RequestHandler } from "express";

import { withLogContext } from "../lib/log-context";
import type { AppMetrics } from "./metrics";

/** An id a proxy or client sent that is safe to echo and log; anything else is replaced. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * First middleware of each server: gives the request an id (the caller's `X-Request-Id` when it is
 * reasonable, else a new one), answers with it, puts it on every log line written while the request
 * is handled, and counts the request by route pattern once it is answered.
 */
export function requestObserver(metrics: AppMetrics): RequestHandler {
  return (req, res, next) => {
    const sent = req.get("x-request-id");
    const requestId = sent && ACCEPTABLE_ID.test(sent) ? sent : randomUUID();
    res.setHeader("X-Request-Id", requestId);
    const started = performance.now();
    res.on("finish", () => {
      metrics.request({ method: req.method, route: routeOf(req), status: res.statusCode, seconds: (performance.now() - started) / 1000 });
    });
    withLogContext({ requestId }, next);
  };
}

/**
 * The matched route's pattern (`/pay/:token`), never the raw path, so ids do not each make a
 * series. Requests no route matched (404s, static files) are grouped.
 */
function routeOf(req: Parameters<RequestHandler>[0]): string {
  const pattern: unknown = req.route?.path;
  if (typeof pattern === "string") return `${req.baseUrl}${pattern}` || "/";
  if (Array.isArray(pattern)) return `${req.baseUrl}${pattern.join("|")}`;
  if (req.originalUrl.startsWith("/admin/assets/")) return "/admin/assets/*";
  return "unmatched";
}
