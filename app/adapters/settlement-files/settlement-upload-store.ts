import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import path from "node:path";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";

import { err, ok, type Result } from "../../lib/result";
import type { SettlementFileSource, SettlementUploads, SniffedFormat, StoredUpload, UploadError } from "../../ports/settlement-files";
import { sha256OfStream, Sha256PassThrough } from "./file-hash";
import { openFileSource } from "./file-source";

/** Uploads not turned into an import within this time are deleted. */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
/** The largest settlement file accepted: a million-line export is about 100 MB. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

const UPLOAD_ID = /^upl_[a-z0-9]{24}$/;
const SHOP_DIR = /^shop_[a-f0-9]{32}$/;

/**
 * Settlement files on local disk under DATA_DIR/uploads: a request body is streamed to a temporary file
 * while it is hashed (never held in memory), kept for an hour so the merchant can preview it and then
 * import the same upload, and moved to DATA_DIR/uploads/imports/<importId> for the import. An import runs
 * on the instance that received its file.
 *
 * Every upload belongs to the shop that sent it: it lives in that shop's own folder, and every method
 * takes the shop's id, so another shop's upload id is simply not found (issue #10: an id leaked from one
 * shop's preview must not let another shop import, delete or read that file).
 */
export class SettlementUploadStore implements SettlementUploads {
  private readonly uploadsDir: string;
  private readonly importsDir: string;

  constructor(
    dataDir: string,
    private readonly options: { maxBytes?: number; now?: () => number } = {},
  ) {
    this.uploadsDir = path.join(dataDir, "uploads");
    this.importsDir = path.join(this.uploadsDir, "imports");
  }

  /** Streams `body` to a new upload, hashing it on the way. */
  async receive(shopId: string, body: Readable): Promise<Result<StoredUpload, UploadError>> {
    mkdirSync(this.shopDir(shopId), { recursive: true });
    this.sweep();
    const uploadId = `upl_${randomBytes(12).toString("hex")}`;
    const file = this.uploadPath(shopId, uploadId);
    const maxBytes = this.options.maxBytes ?? MAX_UPLOAD_BYTES;
    const hash = new Sha256PassThrough();
    const limit = new SizeLimit(maxBytes);
    try {
      await pipeline(body, limit, hash, createWriteStream(file));
    } catch (error) {
      rmSync(file, { force: true });
      if (limit.exceeded) return err({ kind: "too_large", maxBytes });
      return err({ kind: "interrupted", message: error instanceof Error ? error.message : String(error) });
    }
    const size = limit.bytes;
    if (size === 0) {
      rmSync(file, { force: true });
      return err({ kind: "empty" });
    }
    return ok({ uploadId, sizeBytes: size, sha256: hash.digest() });
  }

  /** The upload's size and hash, re-read from disk (for an import that refers to an earlier upload). */
  async describe(shopId: string, uploadId: string): Promise<StoredUpload | null> {
    const file = this.existingUpload(shopId, uploadId);
    if (!file) return null;
    return { uploadId, sizeBytes: statSync(file).size, sha256: await sha256OfStream(createReadStream(file)) };
  }

  /**
   * What the file is, from its first bytes: an XLSX workbook is a ZIP archive ("PK\x03\x04"); the old
   * binary .xls format (an OLE2 container) is refused, and so are a PDF ("%PDF") and any other binary
   * content (a NUL byte, or more than 1 in 10 control characters, in the first 4 KiB: no CSV text has
   * them); anything else is read as CSV text.
   */
  async sniffFormat(shopId: string, uploadId: string): Promise<SniffedFormat | null> {
    const file = this.existingUpload(shopId, uploadId);
    if (!file) return null;
    const handle = await open(file, "r");
    try {
      const head = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      if (bytesRead >= 4 && head.readUInt32BE(0) === 0x504b0304) return "xlsx";
      if (bytesRead >= 8 && head.readUInt32BE(0) === 0xd0cf11e0 && head.readUInt32BE(4) === 0xa1b11ae1) return "xls";
      if (bytesRead >= 4 && head.toString("latin1", 0, 4) === "%PDF") return "pdf";
      return looksBinary(head.subarray(0, bytesRead)) ? "binary" : "csv";
    } finally {
      await handle.close();
    }
  }

  async openUpload(shopId: string, uploadId: string): Promise<SettlementFileSource | null> {
    const file = this.existingUpload(shopId, uploadId);
    if (!file) return null;
    try {
      return await openFileSource(file);
    } catch {
      // Swept or adopted since the check.
      return null;
    }
  }

  /** Moves an upload to the import's file. */
  async adopt(shopId: string, uploadId: string, importId: string): Promise<boolean> {
    const file = this.existingUpload(shopId, uploadId);
    if (!file) return false;
    mkdirSync(this.importsDir, { recursive: true });
    await rename(file, this.importPath(importId));
    return true;
  }

  discardUpload(shopId: string, uploadId: string): void {
    const file = this.existingUpload(shopId, uploadId);
    if (file) rmSync(file, { force: true });
  }

  openImportFile(importId: string): Promise<SettlementFileSource> {
    return openFileSource(this.importPath(importId));
  }

  hasImportFile(importId: string): boolean {
    try {
      return statSync(this.importPath(importId)).isFile();
    } catch {
      return false;
    }
  }

  discardImportFile(importId: string): void {
    rmSync(this.importPath(importId), { force: true });
  }

  /** Deletes uploads older than the TTL (never import files: their import deletes them). */
  sweep(): void {
    const cutoff = (this.options.now?.() ?? Date.now()) - UPLOAD_TTL_MS;
    let entries: string[];
    try {
      entries = readdirSync(this.uploadsDir);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!SHOP_DIR.test(entry)) continue;
      const dir = path.join(this.uploadsDir, entry);
      let files: string[];
      try {
        files = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of files) {
        if (!UPLOAD_ID.test(name)) continue;
        const file = path.join(dir, name);
        try {
          if (statSync(file).mtimeMs < cutoff) rmSync(file, { force: true });
        } catch {
          // Gone already.
        }
      }
    }
  }

  private existingUpload(shopId: string, uploadId: string): string | null {
    if (!UPLOAD_ID.test(uploadId)) return null;
    const file = this.uploadPath(shopId, uploadId);
    try {
      return statSync(file).isFile() ? file : null;
    } catch {
      return null;
    }
  }

  /** The shop's folder: a hash of its id, so no shop id can name a path outside the uploads folder. */
  private shopDir(shopId: string): string {
    return path.join(this.uploadsDir, `shop_${createHash("sha256").update(shopId).digest("hex").slice(0, 32)}`);
  }

  private uploadPath(shopId: string, uploadId: string): string {
    return path.join(this.shopDir(shopId), uploadId);
  }

  private importPath(importId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(importId)) throw new Error("bad import id");
    return path.join(this.importsDir, importId);
  }
}

/** Passes bytes through until there are more than `maxBytes`, then fails the pipeline. */
class SizeLimit extends Transform {
  bytes = 0;
  exceeded = false;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.exceeded = true;
      callback(new Error(`the file is larger than ${this.maxBytes} bytes`));
      return;
    }
    callback(null, chunk);
  }
}

/** NUL bytes, or more than 1 in 10 control characters other than tab, CR, LF and form feed. */
function looksBinary(head: Buffer): boolean {
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12) control += 1;
  }
  return head.length > 0 && control * 10 > head.length;
}
