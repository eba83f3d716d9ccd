/**
 * Payment channels arrive as free text from portal exports ("Agentes", "Banca por Internet", "AGENTES ").
 * Fee schedules and payout cycles are keyed by the normalized form so spelling, case and accents don't
 * decide which fee or payout cycle applies.
 */
export function normalizeChannel(channel: string): string {
  const cached = memo.get(channel);
  if (cached !== undefined) return cached;
  const normalized = channel
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  // A file has a handful of distinct channel spellings but a million lines; bound the memo anyway.
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(channel, normalized);
  return normalized;
}

const MEMO_LIMIT = 10_000;
const memo = new Map<string, string>();
