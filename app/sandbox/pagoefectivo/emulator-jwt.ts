import { createSecretKey, type KeyObject, randomUUID } from "node:crypto";

import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

import { err, ok, type Result } from "../../lib/result";

/**
 * The access token of POST /v1/authorizations: DOC §5.1.1 shows an HS256 JWT ("eyJhbGciOiJIUzI1NiIs...") that
 * clients treat as opaque and reuse for 2 h. Signed and checked with jose, against the emulator's clock.
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
 * sign and verify, which was the emulator's largest CPU cost per CIP after its database writes (bench/sessions).
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

export function signToken(claims: Omit<EmulatorTokenClaims, "jti">, key: Buffer): Promise<string> {
  return new SignJWT({ idService: claims.idService })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(String(claims.idService))
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setJti(randomUUID())
    .sign(keyObject(key));
}

export async function verifyToken(token: string, key: Buffer, nowMs: number): Promise<Result<EmulatorTokenClaims, TokenError>> {
  try {
    const { payload } = await jwtVerify(token, keyObject(key), { algorithms: ["HS256"], currentDate: new Date(nowMs), clockTolerance: 0 });
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? ok(claims.data) : err({ kind: "malformed" });
  } catch (e) {
    if (e instanceof errors.JWTExpired) return err({ kind: "expired" });
    if (e instanceof errors.JWSSignatureVerificationFailed) return err({ kind: "bad_signature" });
    return err({ kind: "malformed" });
  }
}
