import { type StoredCip } from "./emulator-state";

/** PagoEfectivo's numeric CIP states (legacy official module, matched by the demo's "23 Pagado"). */
export type CipStatus =
  | { code: 22; name: "Pendiente"; control: "pending" }
  | { code: 23; name: "Pagado"; control: "paid" }
  | { code: 21; name: "Expirado"; control: "expired" }
  | { code: 25; name: "Eliminado"; control: "deleted" };

const PENDING: CipStatus = { code: 22, name: "Pendiente", control: "pending" };
const PAID: CipStatus = { code: 23, name: "Pagado", control: "paid" };
const EXPIRED: CipStatus = { code: 21, name: "Expirado", control: "expired" };
const DELETED: CipStatus = { code: 25, name: "Eliminado", control: "deleted" };

/**
 * Status is derived, never stored, so a pending CIP turns expired the moment the injected clock passes its
 * dateExpiry. A payment wins over expiry because a bank may accept a code late.
 */
export function cipStatus(cip: StoredCip, now: Date): CipStatus {
  if (cip.deletedAt !== null) return DELETED;
  if (cip.payments.length > 0) return PAID;
  if (now.getTime() >= Date.parse(cip.dateExpiry)) return EXPIRED;
  return PENDING;
}
