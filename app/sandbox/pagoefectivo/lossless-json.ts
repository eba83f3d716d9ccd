import { parse } from "lossless-json";

import { err, ok, type Result } from "../../lib/result";

/**
 * A JSON number kept as the literal the client wrote. The emulator must tell "150.00" from "150.001", which
 * JSON.parse cannot (Node 20 has no source-text access in revivers), so v1 bodies go through lossless-json.
 */
export class JsonNumber {
  constructor(readonly literal: string) {}
}

export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | { [key: string]: LosslessJson };

/**
 * RFC 8259 JSON, with numbers returned as JsonNumber. lossless-json keeps a "__proto__" key as data and refuses
 * duplicate keys; anything it throws (syntax, nesting too deep for the stack) is a malformed body.
 */
export function parseLosslessJson(text: string): Result<LosslessJson, string> {
  try {
    const value = parse(text, null, (literal: string) => new JsonNumber(literal)) as LosslessJson | undefined;
    return value === undefined ? err("Empty body") : ok(value);
  } catch (e) {
    return err(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The real service binds properties case-insensitively (its own demo sends {"Data":[{"Cip":...}]}), so a body is
 * read by canonical name regardless of case. Unknown properties are ignored, as model binding does.
 */
export function readCaseInsensitive(value: LosslessJson | undefined, canonicalKeys: readonly string[]): Record<string, LosslessJson | undefined> | null {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value) || value instanceof JsonNumber) {
    return null;
  }
  const byLower = lowerCaseIndex(canonicalKeys);
  const out: Record<string, LosslessJson | undefined> = {};
  for (const [key, v] of Object.entries(value)) {
    const canonical = byLower.get(key.toLowerCase());
    if (canonical !== undefined) out[canonical] = v;
  }
  return out;
}

/** The lower-case index of a key list, built once per list (the lists are module constants). */
const lowerCaseIndexes = new WeakMap<readonly string[], Map<string, string>>();
function lowerCaseIndex(canonicalKeys: readonly string[]): Map<string, string> {
  let index = lowerCaseIndexes.get(canonicalKeys);
  if (!index) {
    index = new Map(canonicalKeys.map((k) => [k.toLowerCase(), k]));
    lowerCaseIndexes.set(canonicalKeys, index);
  }
  return index;
}
