import type { CipStatus, PagoEfectivoError } from "../../ports/pagoefectivo-gateway";
import { localInvalidData } from "./pagoefectivo-errors";

const CIP_DIGITS = /^\d{1,14}$/;

/** PagoEfectivo's CIP status codes (21/22/23/25); anything else is kept as "unknown" with its code. */
export function cipStatusFromCode(code: number): CipStatus {
  switch (code) {
    case 22:
      return "pending";
    case 23:
      return "paid";
    case 21:
      return "expired";
    case 25:
      return "deleted";
    default:
      return "unknown";
  }
}

export function canonicalCip(cip: string): string | null {
  const trimmed = typeof cip === "string" ? cip.trim() : "";
  if (!CIP_DIGITS.test(trimmed)) return null;
  // A JSON number cannot start with 0; 14 digits stay far below 2^53, so Number is exact.
  return String(Number(trimmed));
}

export function invalidCip(cip: string): PagoEfectivoError {
  return localInvalidData([{ code: "113", message: `"${String(cip)}" is not a CIP (1 to 14 digits).`, field: "cip" }]);
}
