/**
 * PagoEfectivo's service id (idService). DOC §5.1.1 ("SPE-ECS Integración API CIP 1.1") types it "N 4", but
 * production services run with 5-digit ids (20329, 19844, 19845 in working public clients; see
 * /work/shared/reference/pagoefectivo-v1.md §7 and docs/contracts.md). The upper bound of 9 digits is our guess:
 * wide enough for any id seen, and still a safe integer sent as a JSON number.
 */
export const MAX_SERVICE_ID_DIGITS = 9;
export const MAX_SERVICE_ID = 999_999_999;

/** "20329" -> 20329; null for anything but 1 to 9 digits with a value of at least 1. */
export function parseServiceId(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,9}$/.test(trimmed)) return null;
  const id = Number(trimmed);
  return id >= 1 ? id : null;
}
