import type { Clock } from "../../lib/clock";
import { ok, type Result } from "../../lib/result";
import type { PagoEfectivoCredentials, PagoEfectivoError } from "../../ports/pagoefectivo-gateway";

/** A token as issued by POST /v1/authorizations, with the local time the request went out. */
export interface IssuedToken {
  readonly token: string;
  readonly codeService: string | null;
  readonly tokenStart: Date | null;
  readonly tokenExpires: Date;
  readonly requestedAt: Date;
}

export type IssueToken = (creds: PagoEfectivoCredentials) => Promise<Result<IssuedToken, PagoEfectivoError>>;

/** How many services' tokens are kept (one or two per shop); the least recently issued is dropped past it. */
export const TOKEN_CACHE_LIMIT = 5_000;

/** Renew when fewer than this many milliseconds remain, so a token never expires mid-request. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

interface CachedToken {
  readonly issued: IssuedToken;
  readonly expiresAtMs: number;
}

/**
 * Caches one token per PagoEfectivo service and makes concurrent callers share a single authorization
 * request (single flight), so a burst of checkouts signs in once. The key holds no secret. Bounded
 * (TOKEN_CACHE_LIMIT); changed credentials (another access key or service) are another key, and a token
 * PagoEfectivo refuses is forgotten (invalidate).
 */
export class PagoEfectivoTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<Result<IssuedToken, PagoEfectivoError>>>();

  constructor(
    private readonly clock: Clock,
    private readonly issue: IssueToken,
  ) {}

  /** A token with at least TOKEN_REFRESH_MARGIN_MS left, from the cache or a (shared) new sign-in. */
  async get(creds: PagoEfectivoCredentials): Promise<Result<string, PagoEfectivoError>> {
    const cached = this.tokens.get(tokenCacheKey(creds));
    if (cached && cached.expiresAtMs - this.clock.now().getTime() >= TOKEN_REFRESH_MARGIN_MS) {
      return ok(cached.issued.token);
    }
    const issued = await this.refresh(creds);
    return issued.ok ? ok(issued.value.token) : issued;
  }

  /** Signs in now (joining a sign-in already under way) and caches the result. */
  refresh(creds: PagoEfectivoCredentials): Promise<Result<IssuedToken, PagoEfectivoError>> {
    const key = tokenCacheKey(creds);
    const running = this.inflight.get(key);
    if (running) return running;
    const request = this.issue(creds)
      .then((issued) => {
        if (issued.ok) {
          this.tokens.delete(key);
          if (this.tokens.size >= TOKEN_CACHE_LIMIT) this.tokens.delete(this.tokens.keys().next().value as string);
          this.tokens.set(key, { issued: issued.value, expiresAtMs: localExpiryMs(issued.value) });
        }
        return issued;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, request);
    return request;
  }

  /** Forgets `token` after PagoEfectivo refused it; a newer token from another caller is kept. */
  invalidate(creds: PagoEfectivoCredentials, token: string): void {
    const key = tokenCacheKey(creds);
    if (this.tokens.get(key)?.issued.token === token) this.tokens.delete(key);
  }
}

export function tokenCacheKey(creds: PagoEfectivoCredentials): string {
  return `${normalizeBaseUrl(creds.baseUrl)}|${creds.idService}|${creds.accessKey}`;
}

export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, "");
}

/**
 * The token's lifetime (tokenExpires - tokenStart) counted from when we asked, on our clock. That keeps
 * working when PagoEfectivo's clock and ours disagree; without tokenStart, tokenExpires is used as is.
 */
function localExpiryMs(issued: IssuedToken): number {
  const expires = issued.tokenExpires.getTime();
  const start = issued.tokenStart?.getTime();
  if (start === undefined || expires <= start) return expires;
  return issued.requestedAt.getTime() + (expires - start);
}
