/** PagoEfectivo v1 hosts (DOC §4). The client appends "/v1/authorizations", "/v1/cips", ... */
export const PAGOEFECTIVO_BASE_URLS = {
  preproduction: "https://pre1a.services.pagoefectivo.pe",
  production: "https://services.pagoefectivo.pe",
} as const;

export type PagoEfectivoEnvironment = keyof typeof PAGOEFECTIVO_BASE_URLS;
