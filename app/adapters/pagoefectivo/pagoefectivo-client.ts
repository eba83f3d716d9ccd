import { formatLimaDateTime } from "../../domain/lima-time";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type {
  CreateCipRequest,
  CreatedCip,
  DeletedCip,
  PagoEfectivoAuthorization,
  PagoEfectivoCredentials,
  PagoEfectivoError,
  PagoEfectivoGateway,
  SearchedCip,
  UpdatedCipExpiry,
} from "../../ports/pagoefectivo-gateway";
import { keepAliveFetch } from "../http-client/keep-alive-fetch";
import { canonicalCip, cipStatusFromCode, invalidCip } from "./pagoefectivo-cip-number";
import { buildCreateCipBody } from "./pagoefectivo-cip-request";
import { checkCredentials } from "./pagoefectivo-credentials-check";
import {
  ambiguousCreateError,
  authorizationRejected,
  errorFromResponse,
  localInvalidData,
  networkError,
  type PagoEfectivoOperation,
  timeoutError,
} from "./pagoefectivo-errors";
import { computeHashString } from "./pagoefectivo-hash";
import { type HttpOutcome, type HttpRequest, type PagoEfectivoFetch, sendHttpRequest } from "./pagoefectivo-http";
import { isSuccess, unreadableResponse } from "./pagoefectivo-response-checks";
import {
  authorizationResponseSchema,
  createCipResponseSchema,
  searchResponseSchema,
  updateCipResponseSchema,
} from "./pagoefectivo-schemas";
import { type IssuedToken, normalizeBaseUrl, PagoEfectivoTokenCache } from "./pagoefectivo-token-cache";

export interface PagoEfectivoClientOptions {
  readonly fetch?: PagoEfectivoFetch;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Deadline for one HTTP exchange, headers and body included. Default 15000. */
  readonly timeoutMs?: number;
}

export const DEFAULT_PAGOEFECTIVO_TIMEOUT_MS = 15_000;
/** The legacy admin tools look up at most 10 CIPs per request; /v1/cips/search is sent in groups of 10. */
export const SEARCH_CHUNK_SIZE = 10;

/** PagoEfectivo v1 REST client (DOC §5.1 plus the search/patch/delete routes of the official demo). */
export class PagoEfectivoClient implements PagoEfectivoGateway {
  private readonly fetchImpl: PagoEfectivoFetch;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly tokens: PagoEfectivoTokenCache;

  constructor(options: PagoEfectivoClientOptions) {
    const fetchImpl = options.fetch ?? keepAliveFetch();
    this.fetchImpl = fetchImpl;
    this.clock = options.clock;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PAGOEFECTIVO_TIMEOUT_MS;
    this.tokens = new PagoEfectivoTokenCache(this.clock, (creds) => this.requestToken(creds));
  }

  async authorize(creds: PagoEfectivoCredentials): Promise<Result<PagoEfectivoAuthorization, PagoEfectivoError>> {
    const credentialsProblem = checkCredentials(creds);
    if (credentialsProblem) return err(credentialsProblem);
    const issued = await this.tokens.refresh(creds);
    if (!issued.ok) return issued;
    const { codeService, tokenStart, tokenExpires } = issued.value;
    return ok({ codeService, tokenStart, tokenExpires });
  }

  async createCip(
    creds: PagoEfectivoCredentials,
    request: CreateCipRequest,
  ): Promise<Result<CreatedCip, PagoEfectivoError>> {
    const credentialsProblem = checkCredentials(creds);
    if (credentialsProblem) return err(credentialsProblem);
    const body = buildCreateCipBody(request, creds.idService, this.clock.now());
    if (!body.ok) return body;

    const outcome = await this.withToken(creds, (token) =>
      this.send(creds, "createCip", "POST", "/v1/cips", token, body.value.json, {
        Origin: body.value.origin,
        "Accept-Language": body.value.language,
      }),
    );
    if (!outcome.ok) return outcome;
    const result = outcome.value;
    // Once the request may have reached PagoEfectivo, a lost answer means a CIP may exist: never resend.
    switch (result.kind) {
      case "timeout":
        return err(ambiguousCreateError(`no answer within ${this.timeoutMs} ms`));
      case "network":
        return err(
          result.requestMayHaveArrived
            ? ambiguousCreateError("the connection was lost after sending")
            : networkError("createCip"),
        );
      case "response":
        break;
    }
    if (!isSuccess(result.status)) {
      // 502/504 come from a gateway in front of PagoEfectivo, which may have created the CIP behind it.
      if (result.status === 502 || result.status === 504) {
        return err(ambiguousCreateError(`HTTP ${result.status} from a gateway`, result.status));
      }
      return err(errorFromResponse("createCip", result.status, result.json));
    }
    const parsed = createCipResponseSchema.safeParse(result.json);
    if (!parsed.success) return err(unreadableResponse(this.logger, "createCip", result.status, parsed.error));
    const data = parsed.data.data;
    return ok({
      cip: data.cip,
      cipUrl: data.cipUrl,
      amount: data.amount,
      transactionCode: data.transactionCode ?? request.transactionCode,
      dateExpiry: data.dateExpiry ?? request.dateExpiry,
    });
  }

  async searchCips(
    creds: PagoEfectivoCredentials,
    cips: readonly string[],
  ): Promise<Result<readonly SearchedCip[], PagoEfectivoError>> {
    const credentialsProblem = checkCredentials(creds);
    if (credentialsProblem) return err(credentialsProblem);
    const normalized: string[] = [];
    for (const cip of cips) {
      const canonical = canonicalCip(cip);
      if (canonical === null) return err(invalidCip(cip));
      if (!normalized.includes(canonical)) normalized.push(canonical);
    }

    const found: SearchedCip[] = [];
    for (let index = 0; index < normalized.length; index += SEARCH_CHUNK_SIZE) {
      const chunk = normalized.slice(index, index + SEARCH_CHUNK_SIZE);
      // CIPs go out as JSON numbers ({"cip":123}), as in the official demo; canonical digits are valid literals.
      const body = `{"data":[${chunk.map((cip) => `{"cip":${cip}}`).join(",")}]}`;
      const outcome = await this.withToken(creds, (token) =>
        this.send(creds, "searchCips", "POST", "/v1/cips/search", token, body),
      );
      const response = this.expectResponse("searchCips", outcome);
      if (!response.ok) return response;
      const parsed = searchResponseSchema.safeParse(response.value.json);
      if (!parsed.success) return err(unreadableResponse(this.logger, "searchCips", response.value.status, parsed.error));
      for (const item of parsed.data.data) {
        found.push({ ...item, status: cipStatusFromCode(item.status), statusCode: item.status });
      }
    }
    return ok(found);
  }

  async updateCipExpiry(
    creds: PagoEfectivoCredentials,
    cip: string,
    dateExpiry: Date,
  ): Promise<Result<UpdatedCipExpiry, PagoEfectivoError>> {
    const credentialsProblem = checkCredentials(creds);
    if (credentialsProblem) return err(credentialsProblem);
    const canonical = canonicalCip(cip);
    if (canonical === null) return err(invalidCip(cip));
    if (!(dateExpiry instanceof Date) || Number.isNaN(dateExpiry.getTime())) {
      return err(localInvalidData([{ code: "112", message: "Required.", field: "dateExpiry" }]));
    }
    if (dateExpiry.getTime() <= this.clock.now().getTime()) {
      return err(localInvalidData([{ code: "113", message: "Must be in the future.", field: "dateExpiry" }]));
    }
    const body = JSON.stringify({ dateExpiry: formatLimaDateTime(dateExpiry) });
    const outcome = await this.withToken(creds, (token) =>
      this.send(creds, "updateCipExpiry", "PATCH", `/v1/cips/${canonical}`, token, body),
    );
    const response = this.expectResponse("updateCipExpiry", outcome);
    if (!response.ok) return response;
    // The answer's body is undocumented: use the echoed expiry when there is one, else what was sent.
    const parsed = updateCipResponseSchema.safeParse(response.value.json ?? {});
    const echoed = parsed.success ? parsed.data.data?.dateExpiry : null;
    return ok({ cip: canonical, dateExpiry: echoed ?? dateExpiry });
  }

  async deleteCip(creds: PagoEfectivoCredentials, cip: string): Promise<Result<DeletedCip, PagoEfectivoError>> {
    const credentialsProblem = checkCredentials(creds);
    if (credentialsProblem) return err(credentialsProblem);
    const canonical = canonicalCip(cip);
    if (canonical === null) return err(invalidCip(cip));
    const outcome = await this.withToken(creds, (token) =>
      this.send(creds, "deleteCip", "DELETE", `/v1/cips/${canonical}`, token),
    );
    const response = this.expectResponse("deleteCip", outcome);
    if (!response.ok) return response;
    return ok({ cip: canonical });
  }

  /** POST /v1/authorizations. Called only through the token cache, so concurrent callers share it. */
  private async requestToken(creds: PagoEfectivoCredentials): Promise<Result<IssuedToken, PagoEfectivoError>> {
    const requestedAt = this.clock.now();
    // The hash must cover exactly the dateRequest text that is sent, so both use this one string.
    const dateRequest = formatLimaDateTime(requestedAt);
    const body = JSON.stringify({
      accessKey: creds.accessKey,
      idService: creds.idService,
      dateRequest,
      hashString: computeHashString({ ...creds, dateRequest }),
    });
    const outcome = await this.send(creds, "authorize", "POST", "/v1/authorizations", null, body);
    switch (outcome.kind) {
      case "timeout":
        return err(timeoutError("authorize", this.timeoutMs));
      case "network":
        return err(networkError("authorize"));
      case "response":
        break;
    }
    if (!isSuccess(outcome.status)) {
      const refused = authorizationRejected(outcome.status, outcome.json);
      this.logger.warn(
        { pagoefectivo: { operation: "authorize", status: outcome.status, code: refused.code ?? null, refusal: refused.signInRefusal ?? null } },
        `PagoEfectivo sign-in refused: ${refused.message}`,
      );
      return err(refused);
    }
    const parsed = authorizationResponseSchema.safeParse(outcome.json);
    if (!parsed.success) return err(unreadableResponse(this.logger, "authorize", outcome.status, parsed.error));
    const { token, codeService, tokenStart, tokenExpires } = parsed.data.data;
    return ok({ token, codeService: codeService ?? null, tokenStart, tokenExpires, requestedAt });
  }

  /**
   * Runs a /v1/cips call with a cached token. A 401 means PagoEfectivo refused the request without acting
   * on it, so it is safe to drop the token and send once more with a fresh one.
   */
  private async withToken(
    creds: PagoEfectivoCredentials,
    call: (token: string) => Promise<HttpOutcome>,
  ): Promise<Result<HttpOutcome, PagoEfectivoError>> {
    const first = await this.tokens.get(creds);
    if (!first.ok) return first;
    const outcome = await call(first.value);
    if (outcome.kind !== "response" || outcome.status !== 401) return ok(outcome);
    this.tokens.invalidate(creds, first.value);
    const second = await this.tokens.get(creds);
    if (!second.ok) return second;
    return ok(await call(second.value));
  }

  /** For idempotent operations: timeouts and network errors are plain, retryable failures. */
  private expectResponse(
    operation: PagoEfectivoOperation,
    outcome: Result<HttpOutcome, PagoEfectivoError>,
  ): Result<{ status: number; json: unknown }, PagoEfectivoError> {
    if (!outcome.ok) return outcome;
    const result = outcome.value;
    switch (result.kind) {
      case "timeout":
        return err(timeoutError(operation, this.timeoutMs));
      case "network":
        return err(networkError(operation));
      case "response":
        return isSuccess(result.status)
          ? ok({ status: result.status, json: result.json })
          : err(errorFromResponse(operation, result.status, result.json));
    }
  }

  private send(
    creds: PagoEfectivoCredentials,
    operation: PagoEfectivoOperation,
    method: HttpRequest["method"],
    path: string,
    token: string | null,
    body?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<HttpOutcome> {
    const headers: Record<string, string> = { Accept: "application/json", ...extraHeaders };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    return sendHttpRequest(
      { fetch: this.fetchImpl, logger: this.logger, timeoutMs: this.timeoutMs },
      {
        operation,
        method,
        baseUrl: normalizeBaseUrl(creds.baseUrl),
        path,
        headers,
        ...(body !== undefined ? { body } : {}),
      },
    );
  }
}
