/**
 * Case folding of the trigram tokenizer (case_sensitive 0: each character folded on its own, no diacritics removed),
 * for the direct match: a character whose lower case is one character takes it, others stay as they are.
 */
export function searchFold(text: string): string {
  let out = "";
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += [...lower].length === 1 ? lower : ch;
  }
  return out;
}
