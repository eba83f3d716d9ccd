import { randomBytes } from "node:crypto";

import { z } from "zod";

/** Where PagoEfectivo says the money came in; the emulator lets a tester pick one. */
export const PAYMENT_CHANNELS = ["banca_movil", "agente", "bodega", "billetera", "internet"] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

const isoDate = z.iso.datetime({ offset: true });

const serviceSchema = z.object({
  idService: z.number().int(),
  accessKey: z.string(),
  secretKey: z.string(),
  notificationUrl: z.string().nullable(),
  codeService: z.string(),
  maxAmountMinor: z.number().int(),
});

const paymentSchema = z.object({
  operationNumber: z.string(),
  paidAt: isoDate,
  amountMinor: z.number().int(),
  channel: z.enum(PAYMENT_CHANNELS),
  /** The exact notification body, so a re-send carries the same bytes. */
  notificationBody: z.string(),
});

const deliveryAttemptSchema = z.object({
  deliveryId: z.string(),
  operationNumber: z.string(),
  url: z.string().nullable(),
  at: isoDate,
  attempt: z.number().int(),
  httpStatus: z.number().int().nullable(),
  error: z.string().optional(),
});

const cipSchema = z.object({
  cip: z.string(),
  idService: z.number().int(),
  guid: z.string(),
  currency: z.enum(["PEN", "USD"]),
  amountMinor: z.number().int(),
  transactionCode: z.string(),
  createdAt: isoDate,
  dateExpiry: isoDate,
  deletedAt: isoDate.nullable(),
  /** The optional request fields (concept, buyer data), kept for the voucher and for debugging. */
  details: z.record(z.string(), z.string()),
  payments: z.array(paymentSchema),
  notifications: z.array(deliveryAttemptSchema),
});

export const emulatorStateSchema = z.object({
  version: z.literal(1),
  /** base64 HS256 key for access tokens; persisted so tokens survive a restart like the real ones do. */
  jwtKey: z.string(),
  nextCip: z.number().int(),
  nextOperationNumber: z.number().int(),
  services: z.array(serviceSchema),
  cips: z.array(cipSchema),
});

export type StoredService = z.infer<typeof serviceSchema>;
export type StoredPayment = z.infer<typeof paymentSchema>;
export type StoredDeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;
export type StoredCip = z.infer<typeof cipSchema>;
export type EmulatorState = z.infer<typeof emulatorStateSchema>;

/** CIP numbers in pre-production are 7-8 digits; start where the technical document's example lives. */
const FIRST_CIP = 2_523_137;
const FIRST_OPERATION_NUMBER = 1_000_001;

export function createInitialState(): EmulatorState {
  return {
    version: 1,
    jwtKey: randomBytes(32).toString("base64"),
    nextCip: FIRST_CIP,
    nextOperationNumber: FIRST_OPERATION_NUMBER,
    services: [],
    cips: [],
  };
}
