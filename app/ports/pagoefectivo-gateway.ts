import type { Money } from "../domain/money";
import type { Result } from "../lib/result";

/** One merchant's PagoEfectivo service. baseUrl has no path: the client appends "/v1/...". */
export interface PagoEfectivoCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly idService: number;
  readonly baseUrl: string;
}

/** What a successful sign-in tells the caller. The token itself stays inside the adapter. */
export interface PagoEfectivoAuthorization {
  readonly codeService: string | null;
  readonly tokenStart: Date | null;
  readonly tokenExpires: Date;
}

export type PagoEfectivoDocumentType = "DNI" | "PAR" | "PAS" | "LMI" | "NAN" | "CE";
export type PagoEfectivoOrigin = "web" | "android" | "ios";
export type PagoEfectivoLanguage = "es-PE" | "en-US";

export interface CreateCipRequest {
  readonly amount: Money;
  /** Our reference (order / payment session id), 1..36 characters; never cut, refused if longer. */
  readonly transactionCode: string;
  readonly dateExpiry: Date;
  /** Cut to 50 characters. */
  readonly paymentConcept?: string;
  /** Cut to 200 characters. */
  readonly additionalData?: string;
  readonly adminEmail?: string;
  readonly userEmail: string;
  /** Cut to 30 characters. */
  readonly userName?: string;
  /** Cut to 30 characters. */
  readonly userLastName?: string;
  readonly userDocumentType?: PagoEfectivoDocumentType;
  readonly userDocumentNumber?: string;
  /** Digits only (spaces, dashes, dots and parentheses are removed), at most 15. */
  readonly userPhone: string;
  /** "+51"; a missing '+' is added. */
  readonly userCodeCountry: string;
  /** INEI code, six digits. */
  readonly userUbigeo?: string;
  /** Cut to 20 characters. */
  readonly userCountry?: string;
  readonly userId?: string;
  /** Defaults to "web". */
  readonly origin?: PagoEfectivoOrigin;
  /** Defaults to "es-PE". */
  readonly language?: PagoEfectivoLanguage;
}

export interface CreatedCip {
  /** Stored as a string: PagoEfectivo returns a number here but a string in notifications. */
  readonly cip: string;
  readonly cipUrl: string;
  readonly amount: Money;
  readonly transactionCode: string;
  readonly dateExpiry: Date;
}

export type CipStatus = "pending" | "paid" | "expired" | "deleted" | "unknown";

export interface SearchedCip {
  readonly cip: string;
  readonly status: CipStatus;
  /** PagoEfectivo's numeric status (22 pending, 23 paid, 21 expired, 25 deleted), kept for the record. */
  readonly statusCode: number;
  readonly statusName: string;
  readonly amount: Money;
  readonly transactionCode: string | null;
  readonly dateCreation: Date | null;
  readonly dateExpiry: Date | null;
  readonly datePayment: Date | null;
  readonly dateRemoval: Date | null;
}

export interface UpdatedCipExpiry {
  readonly cip: string;
  readonly dateExpiry: Date;
}

export interface DeletedCip {
  readonly cip: string;
}

export interface PagoEfectivoFieldError {
  readonly code: string;
  readonly message: string;
  readonly field: string;
}

interface PagoEfectivoErrorBase {
  readonly httpStatus?: number;
  /** PagoEfectivo's own code ("111", "508", ...) when the response carried one. */
  readonly code?: string;
  /** Plain words a merchant can act on. */
  readonly message: string;
  /** PagoEfectivo's message text, when there was one (Spanish, for support tickets). */
  readonly vendorMessage?: string;
  /** True when sending the same request again later may succeed and cannot do harm. */
  readonly retryable: boolean;
  /**
   * Why a sign-in (POST /v1/authorizations) was refused, so logs and the panel say the real reason:
   * "credentials" (401: accessKey, secretKey or idService wrong), "clock_skew" (the signed dateRequest is too far
   * from PagoEfectivo's clock), "invalid_request" (another field was refused), "forbidden" (403).
   */
  readonly signInRefusal?: SignInRefusal;
}

export type SignInRefusal = "credentials" | "clock_skew" | "invalid_request" | "forbidden";

export type PagoEfectivoError =
  /** 111/112/113, or refused by the client before sending (then httpStatus is absent). */
  | (PagoEfectivoErrorBase & { readonly kind: "invalid_data"; readonly fields: readonly PagoEfectivoFieldError[] })
  /** 508, 401 (after one fresh token), 403, or the credentials were refused at sign-in. */
  | (PagoEfectivoErrorBase & { readonly kind: "service_error" })
  /** 511: above the merchant's maximum amount. */
  | (PagoEfectivoErrorBase & { readonly kind: "amount_over_limit" })
  /** 166, other 5xx, and unexpected 404/405. */
  | (PagoEfectivoErrorBase & { readonly kind: "server_error" })
  | (PagoEfectivoErrorBase & { readonly kind: "timeout" })
  | (PagoEfectivoErrorBase & { readonly kind: "network" })
  /**
   * CIP creation whose outcome is unknown: the request was sent and then the answer was lost. A CIP may
   * exist. Never retried by the client; sending it again could create a second CIP.
   */
  | (PagoEfectivoErrorBase & { readonly kind: "ambiguous" })
  /** The response did not match the documented shape. */
  | (PagoEfectivoErrorBase & { readonly kind: "invalid_response" });

export type PagoEfectivoErrorKind = PagoEfectivoError["kind"];

/** The PagoEfectivo v1 operations the use cases need. Implementations never throw. */
export interface PagoEfectivoGateway {
  /** Always asks PagoEfectivo for a fresh token ("Test connection"), and keeps it for later calls. */
  authorize(creds: PagoEfectivoCredentials): Promise<Result<PagoEfectivoAuthorization, PagoEfectivoError>>;
  createCip(creds: PagoEfectivoCredentials, request: CreateCipRequest): Promise<Result<CreatedCip, PagoEfectivoError>>;
  /** Any number of CIPs; the adapter sends them in groups of at most 10. Unknown CIPs are simply absent. */
  searchCips(
    creds: PagoEfectivoCredentials,
    cips: readonly string[],
  ): Promise<Result<readonly SearchedCip[], PagoEfectivoError>>;
  updateCipExpiry(
    creds: PagoEfectivoCredentials,
    cip: string,
    dateExpiry: Date,
  ): Promise<Result<UpdatedCipExpiry, PagoEfectivoError>>;
  deleteCip(creds: PagoEfectivoCredentials, cip: string): Promise<Result<DeletedCip, PagoEfectivoError>>;
}
