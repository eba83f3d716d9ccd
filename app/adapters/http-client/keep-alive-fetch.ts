import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";

/**
 * A fetch-like call for the vendor clients (PagoEfectivo on the payment-session path) over node:http/https with
 * keep-alive agents. Node's global fetch (undici with WHATWG streams) cost about 0.35 ms more CPU per call than
 * http.request on this machine (bench/sessions/RESULTS.md): one call per payment session. Only what the clients use:
 * a string or URL, method, headers as a record, a string body, an AbortSignal, `redirect: "error"`; the whole body is
 * read (at most MAX_BODY_BYTES) from the IncomingMessage's Buffer chunks before the answer is handed back, as a
 * BufferedResponse (status, headers, text/json) rather than a WHATWG Response: building one and reading it back
 * through web streams was 8-10% of a payment session's CPU (issue #13, round 5).
 *
 * Same failure shapes as fetch where the clients look: an abort rejects (the caller checks its own signal), a
 * socket error rejects with its `code` (ECONNREFUSED before sending, ECONNRESET after...), a redirect with
 * `redirect: "error"` rejects. Idle sockets are closed before the server's announced keep-alive timeout (Node's
 * agent reads the `Keep-Alive: timeout=` hint) and after FREE_SOCKET_MS anyway, so a request is not written on a
 * socket the server is closing.
 */
const FREE_SOCKET_MS = 4_000;
/** Open connections per origin; further requests wait for one (bounded, unlike the global fetch). */
const MAX_SOCKETS = 128;
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/** What the clients read from an answer: the subset of Response they use, over a body already in memory. */
export class BufferedResponse {
  private headerList: Headers | null = null;

  constructor(
    readonly status: number,
    readonly statusText: string,
    private readonly rawHeaders: http.IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get headers(): Headers {
    this.headerList ??= new Headers(responseHeaders(this.rawHeaders));
    return this.headerList;
  }

  /** UTF-8 with a leading BOM dropped and bad sequences replaced, as Response.text() decodes. */
  text(): Promise<string> {
    const start = this.body.length >= 3 && this.body[0] === 0xef && this.body[1] === 0xbb && this.body[2] === 0xbf ? 3 : 0;
    return Promise.resolve(this.body.toString("utf8", start));
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
}

export type KeepAliveFetch = (input: string | URL, init?: RequestInit) => Promise<BufferedResponse>;

export function keepAliveFetch(): KeepAliveFetch {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, timeout: FREE_SOCKET_MS, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS }),
    "https:": new https.Agent({ keepAlive: true, timeout: FREE_SOCKET_MS, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS }),
  };
  return (input, init) => {
    const url = typeof input === "string" ? new URL(input) : input;
    if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.reject(new TypeError(`keepAliveFetch: unsupported protocol ${url.protocol}`));
    return send(url, init ?? {}, url.protocol === "https:" ? agents["https:"] : agents["http:"]);
  };
}

function send(url: URL, init: RequestInit, agent: http.Agent): Promise<BufferedResponse> {
  const signal = init.signal ?? null;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== "string") return Promise.reject(new TypeError("keepAliveFetch: only string bodies are supported"));
  const headers = plainHeaders(init.headers);
  if (body) headers["content-length"] = String(Buffer.byteLength(body));
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<BufferedResponse>((resolve, reject) => {
    const request = transport.request(url, { method: init.method ?? "GET", headers, agent });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const fail = (error: Error) => {
      settle(() => reject(error));
      request.destroy();
    };
    const onAbort = () => fail(abortError(signal));
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", fail);
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location && init.redirect === "error") {
        fail(new TypeError(`redirect to ${response.headers.location} refused (redirect: "error")`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) fail(new RangeError(`response body over ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on("error", fail);
      response.on("aborted", () => fail(Object.assign(new Error("the response was cut short"), { code: "ECONNRESET" })));
      response.on("end", () => {
        if (settled) return;
        try {
          const decoded = decode(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), response.headers["content-encoding"]);
          const nullBody = status === 204 || status === 205 || status === 304 || init.method === "HEAD";
          const answer = new BufferedResponse(status, response.statusMessage ?? "", response.headers, nullBody ? EMPTY : decoded);
          settle(() => resolve(answer));
        } catch (error) {
          fail(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    request.end(body ?? undefined);
  });
}

function plainHeaders(headers: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers || Array.isArray(headers)) {
    for (const [name, value] of headers instanceof Headers ? headers.entries() : headers) out[String(name).toLowerCase()] = String(value);
    return out;
  }
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = String(value);
  return out;
}

function responseHeaders(headers: http.IncomingHttpHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push([name, v]);
    else out.push([name, value]);
  }
  return out;
}

/** fetch decodes these; no Accept-Encoding is sent, so a server should not use them, but one may. */
function decode(raw: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES });
    case "deflate":
      return zlib.inflateSync(raw, { maxOutputLength: MAX_BODY_BYTES });
    case "br":
      return zlib.brotliDecompressSync(raw, { maxOutputLength: MAX_BODY_BYTES });
    default:
      return raw;
  }
}

function abortError(signal: AbortSignal | null): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("This operation was aborted");
  error.name = "AbortError";
  return error;
}
