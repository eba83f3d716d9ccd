import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

/**
 * Rendered buyer pages, kept briefly so a page asked for again within a few seconds (a refresh, a burst,
 * several tabs) is not rendered and compressed again: rendering with the QR and compressing with brotli
 * cost about 0.9 ms of CPU, several times the rest of the request. An entry is reused only when the
 * session read for this request has the same version (state, updatedAt, CIP, store name, and whether the
 * code's expiry has passed by the business clock) and the clock is within WINDOW_MS of when it was
 * rendered. So no state change is ever hidden (the read happens on every request, and a code that expires
 * renders again at once); what can be up to WINDOW_MS old is the countdown's starting point, and the
 * page's script re-bases the countdown on the server time /status returns as soon as it loads.
 *
 * Bounded memory: the bodies held (every encoding of every entry) never exceed `maxBytes` (default
 * 16 MiB, about 1,000 pages with their br and gzip forms); the least recently used entries go first.
 */

export type ContentEncoding = "br" | "gzip" | "identity";

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
export const WINDOW_MS = 5_000;

export interface Entry {
  readonly version: string;
  readonly window: number;
  /** The code's expiry (ms) and whether it had passed when rendered: reused only while that is still so. */
  readonly expiresAtMs: number | null;
  readonly expired: boolean;
  /** What else the rendering depends on (the language), for the ETag. */
  readonly variant: string;
  readonly bodies: Partial<Record<ContentEncoding, Buffer>>;
  readonly etags: Partial<Record<ContentEncoding, string>>;
  bytes: number;
}

export function isExpired(expiresAtMs: number | null, now: Date): boolean {
  return expiresAtMs !== null && now.getTime() >= expiresAtMs;
}

export class BuyerPageCache {
  private readonly entries = new Map<string, Entry>();
  private heldBytes = 0;

  constructor(private readonly maxBytes: number = DEFAULT_MAX_BYTES) {}

  /** Entries and bytes held now (for tests and metrics). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.heldBytes };
  }

  /** Whether an entry for `key` exists for the current window (worth reading the version to check it). */
  has(key: string, now: Date): boolean {
    return this.entries.get(key)?.window === Math.floor(now.getTime() / WINDOW_MS);
  }

  /** The entry for `key` if it was rendered from `version` in this window on the same side of the code's expiry. */
  fresh(key: string, version: string, now: Date): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version || entry.window !== Math.floor(now.getTime() / WINDOW_MS) || entry.expired !== isExpired(entry.expiresAtMs, now)) return undefined;
    // Most recently used goes to the end of the Map's order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores a page rendered at `now` (replacing any older one for `key`). */
  put(key: string, page: { version: string; variant: string; expiresAt: Date | null; html: string }, now: Date): Entry {
    const identity = Buffer.from(page.html, "utf8");
    const expiresAtMs = page.expiresAt ? page.expiresAt.getTime() : null;
    const entry: Entry = {
      version: page.version,
      window: Math.floor(now.getTime() / WINDOW_MS),
      expiresAtMs,
      expired: isExpired(expiresAtMs, now),
      variant: page.variant,
      bodies: { identity },
      etags: {},
      bytes: 0,
    };
    this.remove(key);
    this.entries.set(key, entry);
    this.grow(entry, identity.length);
    return entry;
  }

  /** The entry's body in `encoding`, compressed once and kept while the entry is. */
  encoded(key: string, entry: Entry, encoding: ContentEncoding): Buffer {
    const cached = entry.bodies[encoding];
    if (cached) return cached;
    const encoded = encode(entry.bodies.identity as Buffer, encoding);
    if (this.entries.get(key) === entry) {
      entry.bodies[encoding] = encoded;
      this.grow(entry, encoded.length);
    }
    return encoded;
  }

  /** The body for `encoding`, from the cache or from `render()` (then stored). */
  async body(key: string, version: string, now: Date, encoding: ContentEncoding, render: (now: Date) => Promise<string>, expiresAt: Date | null = null): Promise<Buffer> {
    const entry = this.fresh(key, version, now) ?? this.put(key, { version, variant: "", expiresAt, html: await render(now) }, now);
    return this.encoded(key, entry, encoding);
  }

  private grow(entry: Entry, bytes: number): void {
    entry.bytes += bytes;
    this.heldBytes += bytes;
    // Oldest first; the entry just used is the newest, so it goes last (alone over budget, it goes too).
    for (const [key] of this.entries) {
      if (this.heldBytes <= this.maxBytes) break;
      this.remove(key);
    }
  }

  private remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.heldBytes -= old.bytes;
  }
}

export function encode(body: Buffer, encoding: ContentEncoding): Buffer {
  if (encoding === "br") {
    // Quality 5: most of brotli's gain on a small page at a fraction of quality 11's CPU.
    return brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } });
  }
  if (encoding === "gzip") return gzipSync(body, { level: 6 });
  return body;
}

/** br, else gzip, else none, as the request's Accept-Encoding allows (a q=0 refuses one). */
export function pickEncoding(acceptEncoding: string | undefined): ContentEncoding {
  if (!acceptEncoding) return "identity";
  // Browsers send a handful of distinct values: each is parsed once (at most 64 remembered).
  const known = picked.get(acceptEncoding);
  if (known) return known;
  const encoding = parseAcceptEncoding(acceptEncoding);
  if (picked.size >= 64) picked.clear();
  picked.set(acceptEncoding, encoding);
  return encoding;
}

const picked = new Map<string, ContentEncoding>();

function parseAcceptEncoding(acceptEncoding: string): ContentEncoding {
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name.trim());
  }
  if (accepted.has("br")) return "br";
  if (accepted.has("gzip") || accepted.has("*")) return "gzip";
  return "identity";
}
