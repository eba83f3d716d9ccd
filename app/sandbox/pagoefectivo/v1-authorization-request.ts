import { err, ok, type Result } from "../../lib/result";
import { SERVICE_ID_PATTERN } from "./guesses";
import { parseLimaDateTime } from "./lima-time";
import { JsonNumber, type LosslessJson, readCaseInsensitive } from "./lossless-json";
import { type FieldError, invalidField, requiredField } from "./v1-responses";

export interface ValidAuthorizationRequest {
  accessKey: string;
  idService: number;
  /** Kept verbatim: the hash covers the exact string the client sent. */
  dateRequest: string;
  dateRequestAt: Date;
  hashString: string;
}

const FIELDS = ["accessKey", "idService", "dateRequest", "hashString"] as const;

/** The field table of POST /v1/authorizations (technical document §5.1.1). */
export function parseAuthorizationRequest(body: LosslessJson): Result<ValidAuthorizationRequest, FieldError[]> {
  const f = readCaseInsensitive(body, FIELDS);
  if (!f) return err([invalidField("body")]);
  const errors: FieldError[] = [];
  const missing = (v: LosslessJson | undefined) => v === undefined || v === null || v === "";

  let accessKey: string | null = null;
  if (missing(f.accessKey)) errors.push(requiredField("accessKey"));
  else if (typeof f.accessKey !== "string" || f.accessKey.length > 20) errors.push(invalidField("accessKey"));
  else accessKey = f.accessKey;

  // DOC §5.1.1 types idService "N 4", but production services run with 5-digit ids (20329, 19844, 19845 in
  // working clients, reference §7), so the emulator accepts MAX_SERVICE_ID_DIGITS (a guess, guesses.ts).
  // Sent as a JSON number; a digit string is bound too, as the service's model binding would.
  let idService: number | null = null;
  const rawId = f.idService instanceof JsonNumber ? f.idService.literal : typeof f.idService === "string" ? f.idService : null;
  if (missing(f.idService)) errors.push(requiredField("idService"));
  else if (rawId === null || !SERVICE_ID_PATTERN.test(rawId) || Number(rawId) === 0) errors.push(invalidField("idService"));
  else idService = Number(rawId);

  let dateRequest: string | null = null;
  let dateRequestAt: Date | null = null;
  if (missing(f.dateRequest)) errors.push(requiredField("dateRequest"));
  else if (typeof f.dateRequest !== "string" || (dateRequestAt = parseLimaDateTime(f.dateRequest)) === null) {
    errors.push(invalidField("dateRequest"));
  } else dateRequest = f.dateRequest;

  let hashString: string | null = null;
  if (missing(f.hashString)) errors.push(requiredField("hashString"));
  else if (typeof f.hashString !== "string" || !/^[0-9a-fA-F]{64}$/.test(f.hashString)) errors.push(invalidField("hashString"));
  else hashString = f.hashString;

  if (errors.length > 0 || accessKey === null || idService === null || dateRequest === null || dateRequestAt === null || hashString === null) {
    return err(errors);
  }
  return ok({ accessKey, idService, dateRequest, dateRequestAt, hashString });
}
