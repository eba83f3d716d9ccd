import { existsSync, readFileSync, renameSync } from "node:fs";

import type Database from "better-sqlite3";
import { z } from "zod";

import { PAYMENT_CHANNELS } from "./emulator-state";

/** The JSON state file of earlier versions (`DATA_DIR/sandbox/pagoefectivo-state.json`), read once at upgrade. */
const isoDate = z.iso.datetime({ offset: true });
const legacyStateSchema = z.object({
  version: z.literal(1),
  jwtKey: z.string(),
  services: z.array(
    z.object({
      idService: z.number().int(),
      accessKey: z.string(),
      secretKey: z.string(),
      notificationUrl: z.string().nullable(),
      codeService: z.string(),
      maxAmountMinor: z.number().int(),
    }),
  ),
  cips: z.array(
    z.object({
      cip: z.string(),
      idService: z.number().int(),
      guid: z.string(),
      currency: z.enum(["PEN", "USD"]),
      amountMinor: z.number().int(),
      transactionCode: z.string(),
      createdAt: isoDate,
      dateExpiry: isoDate,
      deletedAt: isoDate.nullable(),
      details: z.record(z.string(), z.string()),
      payments: z.array(
        z.object({
          operationNumber: z.string(),
          paidAt: isoDate,
          amountMinor: z.number().int(),
          channel: z.enum(PAYMENT_CHANNELS),
          notificationBody: z.string(),
        }),
      ),
      notifications: z.array(
        z.object({
          deliveryId: z.string(),
          operationNumber: z.string(),
          url: z.string().nullable(),
          at: isoDate,
          attempt: z.number().int(),
          httpStatus: z.number().int().nullable(),
          error: z.string().optional(),
        }),
      ),
    }),
  ),
});

/**
 * Copies an older JSON state into the (empty) database, inside the caller's transaction, and renames the file
 * to `.imported` so it is read only once. Returns its token key so tokens issued before the upgrade stay valid,
 * or null when there is no such file.
 */
export function importLegacyStateFile(db: Database.Database, filePath: string): string | null {
  if (!existsSync(filePath)) return null;
  let state: z.infer<typeof legacyStateSchema>;
  try {
    state = legacyStateSchema.parse(JSON.parse(readFileSync(filePath, "utf8")));
  } catch (e) {
    throw new Error(`PagoEfectivo emulator state at ${filePath} cannot be imported (${(e as Error).message}); move it aside to start fresh`);
  }
  const service = db.prepare(
    "INSERT INTO services VALUES (@idService, @accessKey, @secretKey, @notificationUrl, @codeService, @maxAmountMinor)",
  );
  const cip = db.prepare(
    `INSERT INTO cips (cip, id_service, guid, currency, amount_minor, transaction_code, created_at, date_expiry, deleted_at, details)
     VALUES (@cip, @idService, @guid, @currency, @amountMinor, @transactionCode, @createdAt, @dateExpiry, @deletedAt, @details)`,
  );
  const payment = db.prepare(
    "INSERT INTO payments VALUES (@operationNumber, @cip, @paidAt, @amountMinor, @channel, @notificationBody)",
  );
  const delivery = db.prepare(
    `INSERT INTO deliveries (cip, delivery_id, operation_number, url, at, attempt, http_status, error)
     VALUES (@cip, @deliveryId, @operationNumber, @url, @at, @attempt, @httpStatus, @error)`,
  );
  for (const s of state.services) service.run(s);
  for (const c of state.cips) {
    cip.run({ ...c, cip: Number(c.cip), details: JSON.stringify(c.details) });
    for (const p of c.payments) payment.run({ ...p, operationNumber: Number(p.operationNumber), cip: Number(c.cip) });
    for (const n of c.notifications) delivery.run({ ...n, cip: Number(c.cip), error: n.error ?? null });
  }
  renameSync(filePath, `${filePath}.imported`);
  return state.jwtKey;
}
