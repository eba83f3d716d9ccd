import { createHmac, createSecretKey, type KeyObject, randomUUID } from "node:crypto";

import { errors, jwtVerify } from "jose";
import { z } from "zod";

import { err, ok, type Result } from "../../lib/result";

/**
 * The access token of POST /v1/authorizations: DOC §5.1.1 shows an HS256 JWT ("eyJhbGciOiJIUzI1NiIs...") that
 * clients treat as opaque and reuse for 2 h. Checked with jose, against the emulator's clock.
 */
export interface EmulatorTokenClaims {
  idService: number;
  /** Seconds since the epoch, as JWT does. */
  iat: number;
  exp: number;
  jti: string;
}

export type TokenError = { kind: "malformed" } | { kind: "bad_signature" } | { kind: "expired" };

const claimsSchema = z.object({
  idService: z.number().int().positive(),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string(),
});

/**
 * The key as a KeyObject, made once per key buffer: given raw bytes, jose imports them into WebCrypto on every
 * verify, which was the emulator's largest CPU cost per CIP after its database writes (bench/sessions).
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(key: Buffer): KeyObject {
  let made = keyObjects.get(key);
  if (!made) {
    made = createSecretKey(key);
    keyObjects.set(key, made);
  }
  return made;
}

const base64url = (text: string): string => Buffer.from(text, "utf8").toString("base64url");
const HEADER = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

/**
 * Signed with node:crypto's HMAC in the same shape jose's SignJWT gives (header {"alg":"HS256","typ":"JWT"}; claims
 * idService, sub, iat, exp, jti in that order): jose signs through WebCrypto, an asynchronous job per token.
 */
export function signToken(claims: Omit<EmulatorTokenClaims, "jti">, key: Buffer): string {
  const payload = base64url(
    JSON.stringify({ idService: claims.idService, sub: String(claims.idService), iat: claims.iat, exp: claims.exp, jti: randomUUID() }),
  );
  const signature = createHmac("sha256", key).update(`${HEADER}.${payload}`).digest("base64url");
  return `${HEADER}.${payload}.${signature}`;
}

export async function verifyToken(token: string, key: Buffer, nowMs: number): Promise<Result<EmulatorTokenClaims, TokenError>> {
  const checked = await checkToken(token, key, nowMs);
  return checked.ok ? ok(checked.value.claims) : checked;
}

/** jose's full check; `timeBound` says whether the token carries "nbf", so its validity depends on more than exp. */
async function checkToken(token: string, key: Buffer, nowMs: number): Promise<Result<{ claims: EmulatorTokenClaims; timeBound: boolean }, TokenError>> {
  try {
    const { payload } = await jwtVerify(token, keyObject(key), { algorithms: ["HS256"], currentDate: new Date(nowMs), clockTolerance: 0 });
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? ok({ claims: claims.data, timeBound: payload.nbf !== undefined }) : err({ kind: "malformed" });
  } catch (e) {
    if (e instanceof errors.JWTExpired) return err({ kind: "expired" });
    if (e instanceof errors.JWSSignatureVerificationFailed) return err({ kind: "bad_signature" });
    return err({ kind: "malformed" });
  }
}

/** Tokens live 2 h and a client reuses one for every call; more distinct live tokens than this are forgotten oldest first. */
const MAX_REMEMBERED_TOKENS = 10_000;

/**
 * verifyToken with a memory: a token whose signature and claims were checked once is the same string with the same
 * claims on every later call, so only its expiry is checked again, against the clock of the call (jose's rule: expired
 * once exp <= now in whole seconds). Saves a WebCrypto HMAC job, a JSON parse and a zod parse per request.
 * Failures are not remembered: each is checked in full, so its answer stays what jose says.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, EmulatorTokenClaims>();

  constructor(private readonly key: Buffer) {}

  async verify(token: string, nowMs: number): Promise<Result<EmulatorTokenClaims, TokenError>> {
    const known = this.verified.get(token);
    if (known) return known.exp <= Math.floor(nowMs / 1000) ? err({ kind: "expired" }) : ok(known);
    const checked = await checkToken(token, this.key, nowMs);
    if (!checked.ok) return checked;
    // A token with "nbf" (the emulator never issues one) is checked in full every time.
    if (!checked.value.timeBound) {
      if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.forgetOldest();
      this.verified.set(token, checked.value.claims);
    }
    return ok(checked.value.claims);
  }

  private forgetOldest(): void {
    for (const token of this.verified.keys()) {
      this.verified.delete(token);
      if (this.verified.size < MAX_REMEMBERED_TOKENS / 2) return;
    }
  }
}
