import type { PagoEfectivoCredentials, PagoEfectivoError } from "../../ports/pagoefectivo-gateway";
import { localInvalidData } from "./pagoefectivo-errors";
import { normalizeBaseUrl } from "./pagoefectivo-token-cache";

export function checkCredentials(creds: PagoEfectivoCredentials): PagoEfectivoError | null {
  const problems: { code: string; message: string; field: string }[] = [];
  if (!creds.accessKey?.trim()) problems.push({ code: "112", message: "Required.", field: "accessKey" });
  if (!creds.secretKey) problems.push({ code: "112", message: "Required.", field: "secretKey" });
  if (!Number.isSafeInteger(creds.idService) || creds.idService <= 0) {
    problems.push({ code: "113", message: "Must be a positive whole number.", field: "idService" });
  }
  if (!isHttpUrl(creds.baseUrl)) {
    problems.push({ code: "113", message: "Must be an http(s) URL.", field: "baseUrl" });
  }
  return problems.length > 0 ? localInvalidData(problems) : null;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(normalizeBaseUrl(value));
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
