import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

/**
 * Rendered buyer pages, kept briefly so a page asked for again within a few seconds (a refresh, a burst,
 * several tabs) is not rendered and compressed again: rendering with the QR and compressing with brotli
 * cost about 0.9 ms of CPU, several times the rest of the request. An entry is reused only when the
 * session read for this request has the same version (state, updatedAt, CIP, store name) and the
 * business clock is within WINDOW_MS of when it was rendered. So no state change is ever hidden (the
 * read happens on every request); what can be up to WINDOW_MS old is the countdown's starting point,
 * and the page's script re-bases the countdown on the server time /status returns as soon as it loads.
 *
 * Bounded: at most MAX_ENTRIES pages (about 12 KB each with both encodings), oldest out first.
 */

export type ContentEncoding = "br" | "gzip" | "identity";

const MAX_ENTRIES = 1_000;
export const WINDOW_MS = 5_000;

interface Entry {
  version: string;
  window: number;
  bodies: Partial<Record<ContentEncoding, Buffer>>;
}

export class BuyerPageCache {
  private readonly entries = new Map<string, Entry>();

  /** The body for `encoding`, from the cache or from `render()` (then stored). */
  async body(key: string, version: string, now: Date, encoding: ContentEncoding, render: (now: Date) => Promise<string>): Promise<Buffer> {
    const window = Math.floor(now.getTime() / WINDOW_MS);
    let entry = this.entries.get(key);
    if (!entry || entry.version !== version || entry.window !== window) {
      entry = { version, window, bodies: { identity: Buffer.from(await render(now), "utf8") } };
      this.store(key, entry);
    }
    const cached = entry.bodies[encoding];
    if (cached) return cached;
    const identity = entry.bodies.identity as Buffer;
    const encoded = encode(identity, encoding);
    entry.bodies[encoding] = encoded;
    return encoded;
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
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
