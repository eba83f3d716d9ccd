/**
 * Where a NUL character (U+0000) sits in a parsed request value, as a dotted path, or null when there is none.
 * JSON may carry one as "\u0000" and a form or query as %00; PostgreSQL refuses NUL in text columns (a 500),
 * and no field of this app has a use for one, so the edge refuses it with a 400 (test/security/fuzz-*.test.ts).
 */
export function findNulCharacter(value: unknown, path = ""): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path || "(root)" : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulCharacter(item, path ? `${path}.${index}` : String(index));
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      // The path is shown (and stored with a refused notification): never copy the NUL itself into it.
      const shown = key.replaceAll("\u0000", "\\u0000");
      const here = path ? `${path}.${shown}` : shown;
      if (key.includes("\u0000")) return here;
      const found = findNulCharacter(item, here);
      if (found !== null) return found;
    }
  }
  return null;
}
