import { err, ok, type Result } from "../../lib/result";

/**
 * A JSON number kept as the literal the client wrote. The emulator must tell "150.00" from "150.001", which
 * JSON.parse cannot (Node 20 has no source-text access in revivers), so v1 bodies go through this parser.
 */
export class JsonNumber {
  constructor(readonly literal: string) {}
}

export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | { [key: string]: LosslessJson };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// RFC 8259 forbids raw control characters inside strings, so the pattern has to name them.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;
const MAX_DEPTH = 64;

class ParseFailure extends Error {}

/** RFC 8259 JSON, with numbers returned as JsonNumber. */
export function parseLosslessJson(text: string): Result<LosslessJson, string> {
  let pos = 0;

  const fail = (what: string): never => {
    throw new ParseFailure(`${what} at position ${pos}`);
  };
  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const match = (re: RegExp): string | null => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    pos = re.lastIndex;
    return m[0];
  };
  const literal = (word: string): boolean => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return true;
    }
    return false;
  };
  const parseString = (): string => {
    const token = match(STRING);
    if (token === null) return fail("Invalid string");
    return JSON.parse(token) as string;
  };

  const parseValue = (depth: number): LosslessJson => {
    if (depth > MAX_DEPTH) fail("Nesting too deep");
    skipWhitespace();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const obj: { [key: string]: LosslessJson } = {};
      skipWhitespace();
      if (text[pos] === "}") {
        pos++;
        return obj;
      }
      for (;;) {
        skipWhitespace();
        if (text[pos] !== '"') fail("Expected a property name");
        const key = parseString();
        skipWhitespace();
        if (text[pos] !== ":") fail("Expected ':'");
        pos++;
        // defineProperty, so a "__proto__" key is data and not a prototype change.
        Object.defineProperty(obj, key, { value: parseValue(depth + 1), enumerable: true, writable: true, configurable: true });
        skipWhitespace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return obj;
        }
        fail("Expected ',' or '}'");
      }
    }
    if (c === "[") {
      pos++;
      const arr: LosslessJson[] = [];
      skipWhitespace();
      if (text[pos] === "]") {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return arr;
        }
        fail("Expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (literal("true")) return true;
    if (literal("false")) return false;
    if (literal("null")) return null;
    const num = match(NUMBER);
    if (num !== null) return new JsonNumber(num);
    return fail(pos >= text.length ? "Unexpected end of input" : "Unexpected token");
  };

  try {
    const value = parseValue(0);
    skipWhitespace();
    if (pos !== text.length) fail("Unexpected data after the JSON value");
    return ok(value);
  } catch (e) {
    if (e instanceof ParseFailure) return err(e.message);
    throw e;
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
  const byLower = new Map(canonicalKeys.map((k) => [k.toLowerCase(), k]));
  const out: Record<string, LosslessJson | undefined> = {};
  for (const [key, v] of Object.entries(value)) {
    const canonical = byLower.get(key.toLowerCase());
    if (canonical !== undefined) out[canonical] = v;
  }
  return out;
}
