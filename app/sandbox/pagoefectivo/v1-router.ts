import { createHash, timingSafeEqual } from "node:crypto";

import express, { type NextFunction, type Request, type Response, type Router } from "express";

import { cipStatus } from "./cip-status";
import { searchItem } from "./cip-views";
import { type EmulatorContext, TOKEN_LIFETIME_MS } from "./emulator-context";
import { signToken } from "./emulator-jwt";
import { type StoredCip, type StoredService } from "./emulator-state";
import { DATE_REQUEST_TOLERANCE_MS, MAX_SEARCH_CIPS } from "./guesses";
import { formatLimaDateTime, parseLimaDateTime, truncateToSecond } from "./lima-time";
import { type LosslessJson, readCaseInsensitive } from "./lossless-json";
import { bearerErrorAnswer, bodyErrorAnswer, invalidAnswer, type V1Answer } from "./v1-answers";
import { parseAuthorizationRequest } from "./v1-authorization-request";
import { createCipAnswer } from "./v1-create-cip";
import { authenticate, type BearerError, type BodyError, JSON_TYPES, readCipNumber, readV1Body } from "./v1-request-helpers";
import {
  type FieldError,
  internalErrorBody,
  invalidField,
  invalidRequestBody,
  notFoundBody,
  requiredField,
  SUCCESS_MESSAGE,
  unauthorizedBody,
} from "./v1-responses";

/** Search answers (DEMO Views/Cips/ConsultarCip.cshtml): {"code": 502, "message": "Consulta exitosa.", "data": [...]}. */
const SEARCH_CODE = 502;
const SEARCH_MESSAGE = "Consulta exitosa.";
const SEARCH_FIELDS = ["data", "cip"] as const;
const SEARCH_ITEM_FIELDS = ["cip"] as const;
const PATCH_FIELDS = ["dateExpiry"] as const;

/** PagoEfectivo's v1 contract: authorizations, cips, search, patch, delete. */
export function createV1Router(ctx: EmulatorContext): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: "64kb" }));

  router.post("/authorizations", ctx.faults.forEndpoint("authorizations"), (req, res) => authorize(ctx, req, res));
  router.post("/cips/search", ctx.faults.forEndpoint("search"), (req, res) => search(ctx, req, res));
  router.post("/cips", ctx.faults.forEndpoint("cips"), (req, res) => createCip(ctx, req, res));
  router.patch("/cips/:cip", ctx.faults.forEndpoint("patch"), (req, res) => patchCip(ctx, req, res));
  router.delete("/cips/:cip", ctx.faults.forEndpoint("delete"), (req, res) => deleteCip(ctx, req, res));

  router.use((_req: Request, res: Response) => {
    res.status(404).json(notFoundBody());
  });
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status === 413) {
      res.status(413).json(invalidRequestBody([invalidField("body")]));
      return;
    }
    // Express fails to decode a malformed %-escape in a route parameter (/cips/%FF) with a 400 error: the
    // client's mistake, answered as invalid data rather than a 500.
    if (error instanceof URIError || status === 400) {
      res.status(400).json(invalidRequestBody([invalidField("path")]));
      return;
    }
    ctx.logger.error({ err: error }, "pagoefectivo emulator: v1 request failed");
    if (!res.headersSent) res.status(500).json(internalErrorBody());
  });
  return router;
}

function httpStatusOf(error: unknown): number | null {
  return error && typeof error === "object" && "status" in error && typeof error.status === "number" ? error.status : null;
}

/** Writes an answer built by v1-answers (headers first, as the fast path does). */
function send(res: Response, answer: V1Answer): void {
  if (answer.headers) res.set(answer.headers);
  res.status(answer.status).json(answer.body);
}

function sendBodyError(res: Response, error: BodyError): void {
  send(res, bodyErrorAnswer(error));
}

function sendBearerError(res: Response, error: BearerError): void {
  send(res, bearerErrorAnswer(error));
}

function sendInvalid(res: Response, errors: FieldError[]): void {
  send(res, invalidAnswer(errors));
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function authorize(ctx: EmulatorContext, req: Request, res: Response): Promise<void> {
  const body = readV1Body(req);
  if (!body.ok) return sendBodyError(res, body.error);
  const parsed = parseAuthorizationRequest(body.value);
  if (!parsed.ok) return sendInvalid(res, parsed.error);
  const r = parsed.value;
  const now = ctx.clock.now();

  // Replay protection: a signed request is only good near the moment it claims to have been made.
  if (Math.abs(r.dateRequestAt.getTime() - now.getTime()) > DATE_REQUEST_TOLERANCE_MS) {
    return sendInvalid(res, [invalidField("dateRequest")]);
  }
  const service = ctx.store.serviceByAccessKey(r.accessKey);
  const expected = service
    ? createHash("sha256").update(`${service.idService}.${service.accessKey}.${service.secretKey}.${r.dateRequest}`, "utf8").digest("hex")
    : "";
  if (!service || service.idService !== r.idService || !constantTimeEqual(r.hashString, expected)) {
    ctx.logger.info({ idService: r.idService }, "pagoefectivo emulator: authorization refused");
    res.status(401).json(unauthorizedBody("Credenciales inválidas."));
    return;
  }

  const start = truncateToSecond(now);
  const expires = new Date(start.getTime() + TOKEN_LIFETIME_MS);
  const token = signToken({ idService: service.idService, iat: start.getTime() / 1000, exp: expires.getTime() / 1000 }, ctx.store.jwtKey);
  res.status(201).json({
    code: "100",
    message: SUCCESS_MESSAGE,
    data: {
      token,
      codeService: service.codeService,
      tokenStart: formatLimaDateTime(start),
      tokenExpires: formatLimaDateTime(expires),
    },
  });
}

async function createCip(ctx: EmulatorContext, req: Request, res: Response): Promise<void> {
  send(
    res,
    await createCipAnswer(ctx, {
      authorization: req.get("authorization"),
      origin: req.get("origin"),
      isJson: Boolean(req.is(JSON_TYPES)),
      body: req.body,
    }),
  );
}

/** Accepts {"data":[{"cip":n}]} in any key case, and the single {"cip":n} a production Java client sends. */
function readSearchCips(body: LosslessJson): string[] | FieldError[] {
  const top = readCaseInsensitive(body, SEARCH_FIELDS);
  if (!top) return [invalidField("body")];
  if (top.data === undefined && top.cip !== undefined) {
    const single = readCipNumber(top.cip);
    return single === null ? [invalidField("cip")] : [single];
  }
  if (top.data === undefined || top.data === null) return [requiredField("data")];
  if (!Array.isArray(top.data)) return [invalidField("data")];
  if (top.data.length === 0) return [requiredField("data")];
  if (top.data.length > MAX_SEARCH_CIPS) return [invalidField("data")];
  const cips: string[] = [];
  for (const item of top.data) {
    const fields = readCaseInsensitive(item, SEARCH_ITEM_FIELDS);
    const cip = fields ? readCipNumber(fields.cip) : null;
    if (cip === null) return [fields?.cip === undefined ? requiredField("cip") : invalidField("cip")];
    if (!cips.includes(cip)) cips.push(cip);
  }
  return cips;
}

async function search(ctx: EmulatorContext, req: Request, res: Response): Promise<void> {
  const now = ctx.clock.now();
  const auth = await authenticate(req.get("authorization"), ctx, now);
  if (!auth.ok) return sendBearerError(res, auth.error);
  const body = readV1Body(req);
  if (!body.ok) return sendBodyError(res, body.error);
  const wanted = readSearchCips(body.value);
  if (wanted.some((w) => typeof w !== "string")) return sendInvalid(res, wanted as FieldError[]);
  const found = (wanted as string[])
    .map((n) => ownedCip(ctx, auth.value, n))
    .filter((c): c is StoredCip => c !== undefined)
    .map((c) => searchItem(c, now));
  res.status(200).json({ code: SEARCH_CODE, message: SEARCH_MESSAGE, data: found });
}

function ownedCip(ctx: EmulatorContext, service: StoredService, cipNumber: string): StoredCip | undefined {
  const cip = ctx.store.cip(cipNumber);
  return cip && cip.idService === service.idService ? cip : undefined;
}

/** Shared start of PATCH and DELETE: token, path CIP owned by the token's service. */
async function targetCip(ctx: EmulatorContext, req: Request, res: Response, now: Date): Promise<StoredCip | null> {
  const auth = await authenticate(req.get("authorization"), ctx, now);
  if (!auth.ok) {
    sendBearerError(res, auth.error);
    return null;
  }
  const cipNumber = readCipNumber(req.params.cip);
  const cip = cipNumber === null ? undefined : ownedCip(ctx, auth.value, cipNumber);
  if (!cip) {
    res.status(404).json(notFoundBody());
    return null;
  }
  return cip;
}

/** A paid or deleted CIP cannot be changed: 400 with a 113 on "cip" (a guess, G-CHANGE-FINAL). */
function sendNotPending(res: Response): void {
  sendInvalid(res, [invalidField("cip")]);
}

async function patchCip(ctx: EmulatorContext, req: Request, res: Response): Promise<void> {
  const now = ctx.clock.now();
  const cip = await targetCip(ctx, req, res, now);
  if (!cip) return;
  const body = readV1Body(req);
  if (!body.ok) return sendBodyError(res, body.error);
  const fields = readCaseInsensitive(body.value, PATCH_FIELDS);
  const raw = fields?.dateExpiry;
  if (raw === undefined || raw === null || raw === "") return sendInvalid(res, [requiredField("dateExpiry")]);
  const dateExpiry = typeof raw === "string" ? parseLimaDateTime(raw) : null;
  if (dateExpiry === null || dateExpiry.getTime() <= now.getTime()) return sendInvalid(res, [invalidField("dateExpiry")]);
  // CSDOC: "si el cip se encuentra expirado... pasa a estado generado": a new expiry revives an expired CIP.
  // Status is derived from dateExpiry, so storing the new date is the whole transition.
  const status = cipStatus(cip, now).control;
  if (status !== "pending" && status !== "expired") return sendNotPending(res);

  const updated = ctx.store.setExpiry(cip.cip, dateExpiry);
  ctx.logger.info({ cip: cip.cip }, "pagoefectivo emulator: CIP expiry changed");
  res.status(200).json({ code: "100", message: SUCCESS_MESSAGE, data: searchItem(updated, now) });
}

async function deleteCip(ctx: EmulatorContext, req: Request, res: Response): Promise<void> {
  const now = ctx.clock.now();
  const cip = await targetCip(ctx, req, res, now);
  if (!cip) return;
  if (cipStatus(cip, now).code !== 22) return sendNotPending(res);

  const deleted = ctx.store.markDeleted(cip.cip, now);
  ctx.logger.info({ cip: cip.cip }, "pagoefectivo emulator: CIP deleted");
  res.status(200).json({ code: "100", message: SUCCESS_MESSAGE, data: searchItem(deleted, now) });
}
