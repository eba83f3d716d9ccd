/** Where PagoEfectivo says the money came in; the emulator lets a tester pick one. */
export const PAYMENT_CHANNELS = ["banca_movil", "agente", "bodega", "billetera", "internet"] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export interface StoredService {
  idService: number;
  accessKey: string;
  secretKey: string;
  notificationUrl: string | null;
  codeService: string;
  maxAmountMinor: number;
}

export interface StoredPayment {
  operationNumber: string;
  /** ISO UTC. */
  paidAt: string;
  amountMinor: number;
  channel: PaymentChannel;
  /** The exact notification body, so a re-send carries the same bytes. */
  notificationBody: string;
}

export interface StoredDeliveryAttempt {
  deliveryId: string;
  operationNumber: string;
  url: string | null;
  at: string;
  attempt: number;
  httpStatus: number | null;
  error?: string;
}

/** A CIP with its payments and delivery attempts, read from the emulator's database in one go. */
export interface StoredCip {
  cip: string;
  idService: number;
  guid: string;
  currency: "PEN" | "USD";
  amountMinor: number;
  transactionCode: string;
  createdAt: string;
  dateExpiry: string;
  deletedAt: string | null;
  /** The optional request fields (concept, buyer data), kept for the voucher and for debugging. */
  details: Record<string, string>;
  payments: StoredPayment[];
  notifications: StoredDeliveryAttempt[];
}

/** CIP numbers in pre-production are 7-8 digits; start where the technical document's example lives. */
export const FIRST_CIP = 2_523_137;
export const FIRST_OPERATION_NUMBER = 1_000_001;
