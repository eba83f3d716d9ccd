import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import path from "node:path";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";

import { err, ok, type Result } from "../../lib/result";
import type { SettlementUploads, StoredUpload, UploadError } from "../../ports/settlement-files";
import { sha256OfStream,Sha256PassThrough } from "./file-hash";

/** Uploads not turned into an import within this time are deleted. */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
/** The largest settlement file accepted: a million-line export is about 100 MB. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

const UPLOAD_ID = /^upl_[a-z0-9]{24}$/;

/**
 * Settlement files on local disk under DATA_DIR/uploads: a request body is streamed to a temporary file
 * while it is hashed (never held in memory), kept for an hour so the merchant can preview it and then
 * import the same upload, and moved to DATA_DIR/uploads/imports/<importId> for the import. An import runs
 * on the instance that received its file.
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
  async receive(body: Readable): Promise<Result<StoredUpload, UploadError>> {
    mkdirSync(this.uploadsDir, { recursive: true });
    this.sweep();
    const uploadId = `upl_${randomBytes(12).toString("hex")}`;
    const file = this.uploadPath(uploadId);
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
  async describe(uploadId: string): Promise<StoredUpload | null> {
    const file = this.existingUpload(uploadId);
    if (!file) return null;
    return { uploadId, sizeBytes: statSync(file).size, sha256: await sha256OfStream(createReadStream(file)) };
  }

  /**
   * What the file is, from its first bytes: an XLSX workbook is a ZIP archive ("PK\x03\x04"); the old
   * binary .xls format (an OLE2 container) is refused; anything else is read as CSV text.
   */
  async sniffFormat(uploadId: string): Promise<"csv" | "xlsx" | "xls" | null> {
    const file = this.existingUpload(uploadId);
    if (!file) return null;
    const handle = await open(file, "r");
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = await handle.read(head, 0, 8, 0);
      if (bytesRead >= 4 && head.readUInt32BE(0) === 0x504b0304) return "xlsx";
      if (bytesRead >= 8 && head.readUInt32BE(0) === 0xd0cf11e0 && head.readUInt32BE(4) === 0xa1b11ae1) return "xls";
      return "csv";
    } finally {
      await handle.close();
    }
  }

  openUpload(uploadId: string): Readable | null {
    const file = this.existingUpload(uploadId);
    return file ? createReadStream(file) : null;
  }

  /** Moves an upload to the import's file. */
  async adopt(uploadId: string, importId: string): Promise<boolean> {
    const file = this.existingUpload(uploadId);
    if (!file) return false;
    mkdirSync(this.importsDir, { recursive: true });
    await rename(file, this.importPath(importId));
    return true;
  }

  discardUpload(uploadId: string): void {
    const file = this.existingUpload(uploadId);
    if (file) rmSync(file, { force: true });
  }

  openImportFile(importId: string): Readable {
    return createReadStream(this.importPath(importId));
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
      if (!UPLOAD_ID.test(entry)) continue;
      const file = path.join(this.uploadsDir, entry);
      try {
        if (statSync(file).mtimeMs < cutoff) rmSync(file, { force: true });
      } catch {
        // Gone already.
      }
    }
  }

  private existingUpload(uploadId: string): string | null {
    if (!UPLOAD_ID.test(uploadId)) return null;
    const file = this.uploadPath(uploadId);
    try {
      return statSync(file).isFile() ? file : null;
    } catch {
      return null;
    }
  }

  private uploadPath(uploadId: string): string {
    return path.join(this.uploadsDir, uploadId);
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
