import type { PaymentState } from "../../domain/payment-session";
import type { CredentialRecord, PaymentSessionRecord, ShopRecord } from "../../ports/payment-store";
import type { Db } from "./database";
import { storedCurrency } from "./stored-currency";

type ShopRow = Awaited<ReturnType<Db["shop"]["findUnique"]>>;
type SessionRow = NonNullable<Awaited<ReturnType<Db["paymentSession"]["findUnique"]>>>;
type CredentialRow = NonNullable<Awaited<ReturnType<Db["pagoEfectivoCredential"]["findUnique"]>>>;

export function toShop(row: ShopRow): ShopRecord | null {
  if (!row) return null;
  return {
    id: row.id,
    domain: row.domain,
    name: row.name,
    status: row.status === "uninstalled" ? "uninstalled" : "installed",
    offlineTokenEncrypted: row.offlineTokenEncrypted,
    notificationKey: row.notificationKey,
    locale: row.locale,
    timezone: row.timezone,
    cipLifetimeHours: row.cipLifetimeHours,
    paymentConcept: row.paymentConcept,
    ready: row.ready,
  };
}

export function toCredential(row: CredentialRow): CredentialRecord {
  return {
    shopId: row.shopId,
    environment: row.environment === "production" ? "production" : "sandbox",
    accessKey: row.accessKey,
    secretKeyEncrypted: row.secretKeyEncrypted,
    idService: row.idService,
    verifiedAt: row.verifiedAt,
  };
}

export function toSession(row: SessionRow): PaymentSessionRecord {
  return {
    ...row,
    currency: storedCurrency(row.currency, "PaymentSession"),
    state: row.state as PaymentState,
    environment: row.environment === "production" ? "production" : "sandbox",
  };
}
