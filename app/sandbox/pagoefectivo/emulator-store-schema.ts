import { type StoredPayment, type StoredService } from "./emulator-state";

/** The emulator database's tables (see EmulatorStore) and the row shapes read from them. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS services (
  id_service INTEGER PRIMARY KEY,
  access_key TEXT NOT NULL UNIQUE,
  secret_key TEXT NOT NULL,
  notification_url TEXT,
  code_service TEXT NOT NULL,
  max_amount_minor INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cips (
  cip INTEGER PRIMARY KEY,
  id_service INTEGER NOT NULL,
  guid TEXT NOT NULL UNIQUE,
  currency TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  transaction_code TEXT NOT NULL,
  created_at TEXT NOT NULL,
  date_expiry TEXT NOT NULL,
  deleted_at TEXT,
  details TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cips_by_transaction_code ON cips (transaction_code);
CREATE INDEX IF NOT EXISTS cips_by_service ON cips (id_service, cip);
CREATE TABLE IF NOT EXISTS payments (
  operation_number INTEGER PRIMARY KEY,
  cip INTEGER NOT NULL REFERENCES cips (cip),
  paid_at TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  channel TEXT NOT NULL,
  notification_body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_by_cip ON payments (cip, operation_number);
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cip INTEGER NOT NULL REFERENCES cips (cip),
  delivery_id TEXT NOT NULL,
  operation_number TEXT NOT NULL,
  url TEXT,
  at TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  http_status INTEGER,
  error TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_by_cip ON deliveries (cip, id);
`;

export interface CipRow {
  cip: number;
  id_service: number;
  guid: string;
  currency: "PEN" | "USD";
  amount_minor: number;
  transaction_code: string;
  created_at: string;
  date_expiry: string;
  deleted_at: string | null;
  details: string;
}
export interface PaymentRow {
  operation_number: number;
  paid_at: string;
  amount_minor: number;
  channel: StoredPayment["channel"];
  notification_body: string;
}
export interface DeliveryRow {
  delivery_id: string;
  operation_number: string;
  url: string | null;
  at: string;
  attempt: number;
  http_status: number | null;
  error: string | null;
}
export interface ServiceRow {
  id_service: number;
  access_key: string;
  secret_key: string;
  notification_url: string | null;
  code_service: string;
  max_amount_minor: number;
}

export function toService(row: ServiceRow): StoredService {
  return {
    idService: row.id_service,
    accessKey: row.access_key,
    secretKey: row.secret_key,
    notificationUrl: row.notification_url,
    codeService: row.code_service,
    maxAmountMinor: row.max_amount_minor,
  };
}
