import type { IncomingMessage } from "node:http";

/**
 * Reads a request body as the exact bytes sent, bounded, without body-parser (the signed webhook's hot path:
 * the HMAC is computed over these bytes). A declared Content-Length over the limit is refused before a byte
 * is read; a body that grows past it is refused as soon as it does; an aborted or broken upload is a 400.
 * Content-Encoding other than identity is refused (415): the signature covers the bytes as sent, and
 * PagoEfectivo's technical document mentions no compressed notifications (a guess that none are sent;
 * the v1 reference is silent on encodings).
 */
export type RawBodyResult = { ok: true; body: Buffer } | { ok: false; status: 400 | 413 | 415; message: string };

export function readRawBody(req: IncomingMessage, limitBytes: number): Promise<RawBodyResult> {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (encoding !== "identity" && encoding !== "") {
    return drain(req, { ok: false, status: 415, message: `Content-Encoding ${encoding} is not accepted; send the body as is` });
  }
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const length = Number(declared);
    if (!/^\d+$/.test(declared)) return drain(req, { ok: false, status: 400, message: "Content-Length is not a number" });
    if (length > limitBytes) return drain(req, { ok: false, status: 413, message: `Request body is larger than ${limitBytes} bytes` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: RawBodyResult) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
      if (!result.ok) req.resume(); // discard the rest so the answer can be sent
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) finish({ ok: false, status: 413, message: `Request body is larger than ${limitBytes} bytes` });
      else chunks.push(chunk);
    };
    const onEnd = () => {
      if (declared !== undefined && size !== Number(declared)) finish({ ok: false, status: 400, message: "Request body is shorter than its Content-Length" });
      else finish({ ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) });
    };
    const onError = () => finish({ ok: false, status: 400, message: "Request body could not be read" });
    const onAborted = () => finish({ ok: false, status: 400, message: "Request body was cut off" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}

function drain(req: IncomingMessage, result: RawBodyResult): Promise<RawBodyResult> {
  req.resume();
  return Promise.resolve(result);
}
