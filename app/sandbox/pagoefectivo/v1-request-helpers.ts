import { type Request } from "express";

import { err, ok, type Result } from "../../lib/result";
import { type TokenVerifier } from "./emulator-jwt";
import { type StoredService } from "./emulator-state";
import { type EmulatorStore } from "./emulator-store";
import { JsonNumber, type LosslessJson, parseLosslessJson } from "./lossless-json";

export type BodyError = { kind: "unsupported_media_type" } | { kind: "malformed"; detail: string };

/** Reads a v1 JSON body with exact number literals. Like an ASP.NET [FromBody], it wants a JSON content type. */
export function readV1Body(req: Request): Result<LosslessJson, BodyError> {
  return parseV1Body(Boolean(req.is(JSON_TYPES)), req.body);
}

export const JSON_TYPES = ["application/json", "application/*+json"];

/** readV1Body's rule on a body already read: `isJson` is whether the request's type is one of JSON_TYPES. */
export function parseV1Body(isJson: boolean, raw: unknown): Result<LosslessJson, BodyError> {
  if (!isJson) return err({ kind: "unsupported_media_type" });
  const text = Buffer.isBuffer(raw) ? raw.toString("utf8") : "";
  const parsed = parseLosslessJson(text);
  return parsed.ok ? parsed : err({ kind: "malformed", detail: parsed.error });
}

export type BearerError = { kind: "missing" } | { kind: "invalid" } | { kind: "expired" } | { kind: "unknown_service" };

/** Validates "Authorization: Bearer <jwt>" against the emulator's signing key and clock. */
export async function authenticate(
  header: string | undefined,
  ctx: { store: EmulatorStore; tokens: TokenVerifier },
  now: Date,
): Promise<Result<StoredService, BearerError>> {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m?.[1]) return err({ kind: "missing" });
  const verified = await ctx.tokens.verify(m[1], now.getTime());
  if (!verified.ok) return err(verified.error.kind === "expired" ? { kind: "expired" } : { kind: "invalid" });
  const service = ctx.store.service(verified.value.idService);
  return service ? ok(service) : err({ kind: "unknown_service" });
}

/** A CIP number given as a JSON number or a digit string (notifications and some clients use strings). */
export function readCipNumber(value: LosslessJson | undefined): string | null {
  const text = value instanceof JsonNumber ? value.literal : typeof value === "string" ? value : null;
  if (text === null || !/^\d{1,14}$/.test(text)) return null;
  return String(BigInt(text));
}
