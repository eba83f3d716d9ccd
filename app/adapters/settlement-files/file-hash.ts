import { createHash } from "node:crypto";
import { type Readable, Transform, type TransformCallback } from "node:stream";

/** SHA-256 (lowercase hex) of everything a stream yields, read in chunks: the file is never held in memory. */
export async function sha256OfStream(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Buffer));
  return hash.digest("hex");
}

/**
 * A pass-through that hashes what flows through it, so an import can read the file once and still learn
 * its hash (to tell the merchant "this file was already imported"). `digest()` is valid after the end.
 */
export class Sha256PassThrough extends Transform {
  private readonly hash = createHash("sha256");
  private hex: string | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.hex = this.hash.digest("hex");
    callback();
  }

  digest(): string {
    if (this.hex === null) throw new Error("Sha256PassThrough.digest() called before the stream ended");
    return this.hex;
  }
}
