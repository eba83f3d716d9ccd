/**
 * Response bodies shaped like PagoEfectivo's v1 service (technical document 1.1): string codes on errors,
 * a "data" list of field errors for code 111.
 */
export const SUCCESS_MESSAGE = "Solicitud exitosa.";

export interface FieldError {
  code: "112" | "113";
  message: string;
  field: string;
}

export const requiredField = (field: string): FieldError => ({ code: "112", message: "Requerido.", field });
export const invalidField = (field: string): FieldError => ({ code: "113", message: "Valor inválido.", field });

export function invalidRequestBody(errors: FieldError[]) {
  return { code: "111", message: "Solicitud con datos inválidos.", data: errors };
}

/** 400 508: the token belongs to another (or an unknown) service. */
export function invalidServiceBody() {
  const message = "El servicio asociado al token no es válido.";
  return { code: "508", message, data: [{ code: "508", message, field: "serviceId" }] };
}

/** 400 511: the amount is above the merchant's maximum. */
export function amountOverLimitBody() {
  const message = "El monto supera el máximo permitido para el servicio.";
  return { code: "511", message, data: [{ code: "511", message, field: "amount" }] };
}

/** 401: the shape is not documented; clients should act on the HTTP status. */
export function unauthorizedBody(message: string) {
  return { code: "401", message };
}

export function notFoundBody() {
  return { code: "404", message: "Recurso no encontrado." };
}

/** 500 166: internal error, also used for injected 5xx faults. */
export function internalErrorBody() {
  return { code: "166", message: "Error interno." };
}
