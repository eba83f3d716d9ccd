import type { IncomingMessage, ServerResponse } from "node:http";

import type { Logger } from "../../lib/logger";
import type { BuyerPageResponder } from "./buyer-page-responder";

const PAGE = /^\/pay\/([A-Za-z0-9_-]{10,64})(?:\?([^#]*))?$/;

/**
 * GET /pay/:token answered straight from node:http, before Express: the buyer page is the one page a
 * sale-day burst hits, and Express's per-request machinery (router, req/res decoration) cost more than
 * the page itself (profile in bench/buyer). Same responder, same bytes and headers as the Express route
 * in buyer-routes.ts, which still serves every other /pay/... path and any URL this does not match.
 * Returns false when the request is not one it serves.
 */
export function buyerPageFastPath(responder: BuyerPageResponder, logger: Logger): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== "GET" || !req.url) return false;
    const match = PAGE.exec(req.url);
    if (!match) return false;
    const [, token = "", query] = match;
    const lang = query ? new URLSearchParams(query).get("lang") : null;
    responder
      .page({
        token,
        lang,
        acceptEncoding: header(req, "accept-encoding"),
        acceptLanguage: header(req, "accept-language"),
        path: `/pay/${token}`,
        ifNoneMatch: header(req, "if-none-match"),
      })
      .then(
        (page) => {
          for (const name in page.headers) res.setHeader(name, page.headers[name] as string);
          if (page.status !== 304) res.setHeader("Content-Length", page.body.length);
          res.statusCode = page.status;
          res.end(page.body);
        },
        (error: unknown) => {
          logger.error({ err: error, path: "/pay/:token" }, "buyer page failed");
          if (res.headersSent) return void res.destroy();
          res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" });
          res.end("El servicio no está disponible en este momento. Vuelve a intentarlo en unos segundos. / Temporarily unavailable; please try again in a few seconds.");
        },
      );
    return true;
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
