import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { z } from "zod";

import { cipStatus } from "./cip-status";
import { controlView } from "./cip-views";
import { type EmulatorContext, voucherUrl } from "./emulator-context";
import { formatMinor, parseAmountLiteral } from "./emulator-money";
import { PAYMENT_CHANNELS, type StoredCip } from "./emulator-state";
import { FAULT_KINDS, V1_ENDPOINTS } from "./fault-injector";
import { EMULATOR_GUESSES } from "./guesses";
import { buildPaidNotificationBody } from "./notification-body";
import { parseServiceRegistration, serviceView } from "./service-registration";

/** Thrown inside handlers and turned into {error} JSON by the router's error handler. */
class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

const paySchema = z.strictObject({
  amount: z.string().optional(),
  channel: z.enum(PAYMENT_CHANNELS).default("banca_movil"),
  notify: z.boolean().default(true),
  duplicates: z.number().int().min(0).max(20).default(0),
  paidAt: z.iso.datetime({ offset: true }).optional(),
  /** Records a second payment of an already paid CIP (the "paid twice" reconciliation case). */
  repeat: z.boolean().default(false),
  /** Adds data.paymentDate and data.transactionCode, which DOC §5.2 does not list, to the notification. */
  undocumentedFields: z.boolean().default(false),
});

const faultSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().min(1).max(1000),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  status: z.number().int().min(500).max(599).optional(),
  paths: z.array(z.enum(V1_ENDPOINTS)).optional(),
  apply: z.boolean().optional(),
});

const putServiceSchema = z.object({
  accessKey: z.unknown(),
  secretKey: z.unknown(),
  notificationUrl: z.unknown().optional(),
  codeService: z.unknown().optional(),
  maxAmountMinor: z.unknown().optional(),
});

function parseWith<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ControlError(400, z.prettifyError(parsed.error));
  return parsed.data;
}

/** Control API for tests and people: inspect CIPs, pay/expire them, inject faults, register services. */
export function createControlRouter(ctx: EmulatorContext): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: "64kb" }));

  const view = (cip: StoredCip) => controlView(cip, ctx.clock.now(), voucherUrl(ctx.publicUrl(), cip.guid));
  const findCip = (req: Request): StoredCip => {
    const param = String(req.params.cip);
    const cip = ctx.store.cip(/^\d{1,14}$/.test(param) ? String(BigInt(param)) : param);
    if (!cip) throw new ControlError(404, `CIP ${param} not found`);
    return cip;
  };
  // Deliveries add rows while a handler runs; the answer shows them.
  const reread = (cip: StoredCip): StoredCip => ctx.store.cip(cip.cip) ?? cip;

  router.get("/cips", (req, res) => {
    const q = parseWith(
      z.object({ transactionCode: z.string().optional(), idService: z.coerce.number().int().optional() }),
      req.query,
    );
    res.json({ cips: ctx.store.listCips(q).map(view) });
  });

  router.get("/cips/:cip", (req, res) => {
    res.json(view(findCip(req)));
  });

  router.post("/cips/:cip/pay", async (req, res) => {
    const cip = findCip(req);
    const input = parseWith(paySchema, readJson(req));
    const now = ctx.clock.now();
    const status = cipStatus(cip, now);
    if (status.control === "deleted") throw new ControlError(409, `CIP ${cip.cip} was deleted and cannot be paid`);
    if (status.control === "paid" && !input.repeat) {
      throw new ControlError(409, `CIP ${cip.cip} is already paid; send {"repeat": true} to record a second payment`);
    }
    const amountMinor = input.amount === undefined ? cip.amountMinor : parseAmountLiteral(input.amount);
    if (amountMinor === null || amountMinor <= 0) {
      throw new ControlError(400, `amount must be a positive decimal string with at most 2 decimals, like "150.00"`);
    }
    const paidAt = input.paidAt === undefined ? now : new Date(input.paidAt);
    const { cip: paid, payment } = ctx.store.recordPayment(cip.cip, (operationNumber) => ({
      operationNumber,
      paidAt: paidAt.toISOString(),
      amountMinor,
      channel: input.channel,
      notificationBody: buildPaidNotificationBody({
        operationNumber,
        cip: cip.cip,
        currency: cip.currency,
        amountMinor,
        paidAt,
        transactionCode: cip.transactionCode,
        undocumentedFields: input.undocumentedFields,
      }),
    }));
    ctx.logger.info(
      { cip: cip.cip, operationNumber: payment.operationNumber, amount: formatMinor(amountMinor), channel: input.channel },
      "pagoefectivo emulator: CIP paid",
    );
    if (input.notify) await ctx.notifier.deliver(paid, payment, 1 + input.duplicates);
    res.json(view(reread(paid)));
  });

  router.post("/cips/:cip/expire", async (req, res) => {
    const cip = findCip(req);
    const now = ctx.clock.now();
    const status = cipStatus(cip, now);
    if (status.control === "paid" || status.control === "deleted") {
      throw new ControlError(409, `CIP ${cip.cip} is ${status.control} and cannot expire`);
    }
    // Expiry is "dateExpiry has passed", so the CIP expires by moving dateExpiry to now; nothing is notified.
    const expired = status.control === "pending" ? ctx.store.setExpiry(cip.cip, new Date(Math.floor(now.getTime() / 1000) * 1000)) : cip;
    res.json(view(expired));
  });

  router.post("/cips/:cip/notify", async (req, res) => {
    const cip = findCip(req);
    const payment = cip.payments.at(-1);
    if (!payment) throw new ControlError(409, `CIP ${cip.cip} has not been paid; there is no notification to re-send`);
    await ctx.notifier.deliver(cip, payment, 1);
    res.json(view(reread(cip)));
  });

  router.get("/guesses", (_req, res) => {
    res.json({ guesses: EMULATOR_GUESSES });
  });

  router.get("/faults", (_req, res) => {
    res.json({ faults: ctx.faults.list() });
  });

  router.post("/faults", (req, res) => {
    const fault = ctx.faults.add(parseWith(faultSchema, readJson(req)));
    res.status(201).json(fault);
  });

  router.delete("/faults", (_req, res) => {
    ctx.faults.clear();
    res.json({ faults: [] });
  });

  router.get("/services", (_req, res) => {
    res.json({ services: ctx.store.listServices().map(serviceView) });
  });

  router.put("/services/:idService", async (req, res) => {
    const body = parseWith(putServiceSchema, readJson(req));
    const idService = Number(req.params.idService);
    const existing = ctx.store.service(idService);
    const parsed = parseServiceRegistration({
      ...body,
      idService,
      notificationUrl: body.notificationUrl === undefined ? (existing?.notificationUrl ?? null) : body.notificationUrl,
    });
    if (!parsed.ok) throw new ControlError(400, parsed.error);
    const clash = ctx.store.serviceByAccessKey(parsed.value.accessKey);
    if (clash && clash.idService !== idService) {
      throw new ControlError(409, `accessKey is already used by service ${clash.idService}`);
    }
    ctx.store.upsertService(parsed.value);
    res.json(serviceView(parsed.value));
  });

  router.use((req: Request, res: Response) => {
    res.status(404).json({ error: `No such route in the PagoEfectivo emulator: ${req.method} ${req.path}` });
  });
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ControlError) {
      res.status(error.status).json({ error: error.message });
      return;
    }
    const status = error && typeof error === "object" && "status" in error ? Number(error.status) : 500;
    if (status === 413) {
      res.status(413).json({ error: "Request body too large" });
      return;
    }
    // A malformed %-escape in the path (/cips/%FF) fails Express's parameter decoding with a 400.
    if (error instanceof URIError || status === 400) {
      res.status(400).json({ error: "Malformed URL: a %-escape in the path is not valid UTF-8" });
      return;
    }
    ctx.logger.error({ err: error }, "pagoefectivo emulator: control request failed");
    if (!res.headersSent) res.status(500).json({ error: "Internal error in the PagoEfectivo emulator" });
  });
  return router;
}

/** Control bodies are plain JSON; an empty body means "all defaults". */
function readJson(req: Request): unknown {
  const raw: unknown = req.body;
  const text = Buffer.isBuffer(raw) ? raw.toString("utf8").trim() : "";
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ControlError(400, `Malformed JSON body: ${(e as Error).message}`);
  }
}
