import type { ErrorRequestHandler, RequestHandler } from "express";

import { isDatabaseUnavailable } from "../../lib/database-unavailable";
import type { Logger } from "../../lib/logger";
import { HttpError } from "../http-error";

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: { code: "not_found", message: `No route for ${req.method} ${req.path}` } });
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json(error.toBody());
      return;
    }
    // body-parser errors: malformed JSON, too large, wrong charset.
    const status = typeof error?.status === "number" ? error.status : typeof error?.statusCode === "number" ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      const message =
        error?.type === "entity.parse.failed"
          ? "Malformed JSON in request body"
          : error?.type === "entity.too.large"
            ? "Request body is too large"
            : String(error?.message ?? "Bad request");
      res.status(status).json({ error: { code: "bad_request", message } });
      return;
    }
    if (isDatabaseUnavailable(error) && !res.headersSent) {
      // The one place database outages become an answer: 503, so every sender retries; the failed
      // transaction was rolled back, so nothing is half-written (issue #10, "Database unreachable").
      logger.warn({ err: error, method: req.method, path: req.path }, "database unavailable");
      res.status(503).set("Retry-After", "5").json({ error: { code: "database_unavailable", message: "The database is unavailable right now; nothing was changed. Try again shortly." } });
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, "unhandled error");
    if (res.headersSent) {
      // Mid-stream (e.g. a CSV export): the status is gone, so cut the connection rather than hang.
      res.destroy();
      return;
    }
    res.status(500).json({ error: { code: "internal", message: "Internal error; it has been logged. Try again." } });
  };
}
