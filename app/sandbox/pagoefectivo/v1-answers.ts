import { assertUnreachable } from "../../lib/assert-unreachable";
import { type BearerError, type BodyError } from "./v1-request-helpers";
import { type FieldError, invalidField, invalidRequestBody, unauthorizedBody } from "./v1-responses";

/**
 * A v1 answer before it is written: Express writes it with res.status().json() (v1-router), the sandbox process's
 * fast path (v1-fast-path) with the same headers byte for byte.
 */
export interface V1Answer {
  status: number;
  body: unknown;
  /** Set before Content-Type, as res.set() did before res.json(). */
  headers?: Record<string, string>;
}

export function bodyErrorAnswer(error: BodyError): V1Answer {
  switch (error.kind) {
    case "unsupported_media_type":
      return { status: 415, body: invalidRequestBody([invalidField("Content-Type")]) };
    case "malformed":
      return { status: 400, body: invalidRequestBody([invalidField("body")]) };
    default:
      return assertUnreachable(error);
  }
}

export function bearerErrorAnswer(error: BearerError): V1Answer {
  const message = ((): string => {
    switch (error.kind) {
      case "missing":
        return "Se requiere un token de acceso.";
      case "invalid":
        return "Token inválido.";
      case "expired":
        return "Token expirado.";
      case "unknown_service":
        return "Token inválido.";
      default:
        return assertUnreachable(error);
    }
  })();
  return {
    status: 401,
    headers: { "WWW-Authenticate": error.kind === "missing" ? "Bearer" : 'Bearer error="invalid_token"' },
    body: unauthorizedBody(message),
  };
}

export function invalidAnswer(errors: FieldError[]): V1Answer {
  return { status: 400, body: invalidRequestBody(errors) };
}
