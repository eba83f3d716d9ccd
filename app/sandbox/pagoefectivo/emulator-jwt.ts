import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

import { z } from "zod";

import { err, ok, type Result } from "../../lib/result";

/** Claims the emulator puts in its access tokens; the real token is an opaque HS256 JWT for clients. */
export interface EmulatorTokenClaims {
  idService: number;
  /** Seconds since the epoch, as JWT does. */
  iat: number;
  exp: number;
  jti: string;
}

export type TokenError = { kind: "malformed" } | { kind: "bad_signature" } | { kind: "expired" };

const header = { alg: "HS256", typ: "JWT" } as const;
const encodedHeader = Buffer.from(JSON.stringify(header)).toString("base64url");

const claimsSchema = z.object({
  sub: z.string(),
  idService: z.number().int().positive(),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string(),
});
const headerSchema = z.object({ alg: z.literal("HS256") });

function sign(signingInput: string, key: Buffer): Buffer {
  return createHmac("sha256", key).update(signingInput).digest();
}

export function signToken(claims: Omit<EmulatorTokenClaims, "jti">, key: Buffer): string {
  const payload = { sub: String(claims.idService), ...claims, jti: randomUUID() };
  const signingInput = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${signingInput}.${sign(signingInput, key).toString("base64url")}`;
}

export function verifyToken(token: string, key: Buffer, nowMs: number): Result<EmulatorTokenClaims, TokenError> {
  const parts = token.split(".");
  if (parts.length !== 3) return err({ kind: "malformed" });
  const [h, p, s] = parts as [string, string, string];
  const expected = sign(`${h}.${p}`, key);
  const given = Buffer.from(s, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return err({ kind: "bad_signature" });
  const parsedHeader = headerSchema.safeParse(decodeSegment(h));
  const parsedClaims = claimsSchema.safeParse(decodeSegment(p));
  if (!parsedHeader.success || !parsedClaims.success) return err({ kind: "malformed" });
  const claims = parsedClaims.data;
  if (nowMs >= claims.exp * 1000) return err({ kind: "expired" });
  return ok({ idService: claims.idService, iat: claims.iat, exp: claims.exp, jti: claims.jti });
}

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}
