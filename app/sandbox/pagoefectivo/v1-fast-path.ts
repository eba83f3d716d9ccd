import { createHash } from "node:crypto";
import { type IncomingMessage, type ServerResponse } from "node:http";

import { type EmulatorContext } from "./emulator-context";
import { type V1Answer } from "./v1-answers";
import { createCipAnswer } from "./v1-create-cip";
import { internalErrorBody, invalidField, invalidRequestBody } from "./v1-responses";

/** express.raw's limit in the v1 router. */
const BODY_LIMIT = 64 * 1024;
/** Content types req.is(JSON_TYPES) accepts for certain; any other goes through Express, which decides. */
const PLAIN_JSON = new Set(["application/json", "application/json; charset=utf-8"]);

/**
 * POST /v1/cips without Express, for the sandbox process (app/sandbox/main.ts): the benchmarks and the chaos suite
 * create thousands of CIPs a second, and Express's routing, body parser and response helpers cost more CPU than the
 * emulator's own work. Only the plainest request takes it (exact path, JSON content type, a Content-Length within the
 * v1 limit, no Content-Encoding or Transfer-Encoding, no fault queued for "cips"); everything else, and a request for
 * which a fault is queued by the time its body is read, goes to Express with the body already read (express.raw
 * then leaves req.body as it is). The answer is the one Express writes, header for header (v1-fast-path.test.ts).
 */
export function v1FastPath(ctx: EmulatorContext, cipsPath: string) {
  return (req: IncomingMessage, res: ServerResponse, express: () => void): void => {
    const length = req.headers["content-length"];
    if (
      req.method !== "POST" ||
      req.url !== cipsPath ||
      length === undefined ||
      !/^\d{1,6}$/.test(length) ||
      Number(length) > BODY_LIMIT ||
      req.headers["transfer-encoding"] !== undefined ||
      req.headers["content-encoding"] !== undefined ||
      !PLAIN_JSON.has((req.headers["content-type"] ?? "").toLowerCase()) ||
      ctx.faults.hasFaultFor("cips")
    ) {
      express();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => {
      // As the v1 router answers raw-body's 400 "request aborted" (to a client that is gone).
      if (!res.headersSent) writeJson(res, { status: 400, body: invalidRequestBody([invalidField("path")]) });
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (ctx.faults.hasFaultFor("cips")) {
        (req as IncomingMessage & { body?: unknown }).body = body;
        express();
        return;
      }
      createCipAnswer(ctx, { authorization: req.headers.authorization, origin: req.headers.origin, isJson: true, body }).then(
        (answer) => writeJson(res, answer),
        (error: unknown) => {
          ctx.logger.error({ err: error }, "pagoefectivo emulator: v1 request failed");
          if (!res.headersSent) writeJson(res, { status: 500, body: internalErrorBody() });
        },
      );
    });
  };
}

/** What res.set(headers); res.status(s).json(body) writes in an app with x-powered-by off and the default weak ETag. */
export function writeJson(res: ServerResponse, answer: V1Answer): void {
  const body = Buffer.from(JSON.stringify(answer.body), "utf8");
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", String(body.length));
  res.setHeader("ETag", weakETag(body));
  res.end(body);
}

/** The etag package's weak tag (Express's default): W/"<length in hex>-<first 27 characters of the base64 SHA-1>". */
function weakETag(body: Buffer): string {
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${body.length.toString(16)}-${createHash("sha1").update(body).digest("base64").substring(0, 27)}"`;
}
