import { pipeline, type Readable, Transform, type TransformCallback } from "node:stream";
import { crc32, createInflateRaw } from "node:zlib";

import type { SettlementFileSource } from "../../ports/settlement-files";

/**
 * Reads a ZIP archive (an XLSX workbook) through its central directory (PKWARE APPNOTE 6.3.10, sections
 * 4.3.12-4.3.16 and ZIP64 4.3.14/4.5.3), by byte ranges of the stored file: any part can be opened in any
 * order, and each part is streamed and inflated without holding it in memory. A forward-only pass over
 * the local headers (what exceljs's streaming reader does) sees the parts in stored order and cannot go
 * back; here nothing is read that was not asked for, and nothing asked for can be missed.
 */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535, after a ZIP64 locator of 20. */
const MAX_TAIL = 22 + 0xffff + 20;
const SHORT_TAIL = 1024;
/** An XLSX has tens of parts; a directory this large is not a workbook (and is not read into memory). */
const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;
const STORED = 0;
const DEFLATED = 8;

export class ZipArchive {
  private constructor(
    private readonly source: SettlementFileSource,
    private readonly entries: ReadonlyMap<string, ZipEntry>,
  ) {}

  static async open(source: SettlementFileSource): Promise<ZipArchive> {
    const size = source.sizeBytes;
    // Most archives have no comment: look in the last KiB (with room for the ZIP64 locator) first.
    let tail = await readRange(source, Math.max(0, size - SHORT_TAIL), size);
    let end = findEndOfDirectory(tail);
    if (end < 0 && size > SHORT_TAIL) {
      tail = await readRange(source, Math.max(0, size - MAX_TAIL), size);
      end = findEndOfDirectory(tail);
    }
    if (end < 0) throw new Error("no ZIP end of central directory record");
    let count = tail.readUInt16LE(end + 10);
    let directorySize = tail.readUInt32LE(end + 12);
    let directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      const locator = end - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new Error("ZIP64 locator missing");
      const recordOffset = safeNumber(tail.readBigUInt64LE(locator + 8));
      const record = await readRange(source, recordOffset, recordOffset + 56);
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_END_OF_DIRECTORY) throw new Error("ZIP64 end of central directory record missing");
      count = safeNumber(record.readBigUInt64LE(32));
      directorySize = safeNumber(record.readBigUInt64LE(40));
      directoryOffset = safeNumber(record.readBigUInt64LE(48));
    }
    if (directorySize > MAX_DIRECTORY_BYTES) throw new Error(`central directory of ${directorySize} bytes`);
    if (directoryOffset + directorySize > size) throw new Error("central directory outside the file");
    const directory = await readRange(source, directoryOffset, directoryOffset + directorySize);
    return new ZipArchive(source, parseDirectory(directory, count, size));
  }

  entry(name: string): ZipEntry | undefined {
    return this.entries.get(name);
  }

  /**
   * The part's bytes, inflated, and failing (as a stream error) when they do not match the directory's
   * size and CRC-32: a damaged file is an error, never wrong rows.
   */
  async openEntry(entry: ZipEntry): Promise<Readable> {
    if (entry.flags & 0x1) throw new Error(`${entry.name} is encrypted`);
    if (entry.method !== STORED && entry.method !== DEFLATED) throw new Error(`${entry.name} uses compression method ${entry.method}`);
    // The local header's name and extra field may differ in length from the directory's copy.
    const header = await readRange(this.source, entry.localHeaderOffset, entry.localHeaderOffset + 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) throw new Error(`${entry.name}: no local header`);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const end = start + entry.compressedSize;
    if (end > this.source.sizeBytes) throw new Error(`${entry.name} runs past the end of the file`);
    const raw = this.source.stream({ start, end });
    const check = new EntryCheck(entry);
    const done = (error: Error | null) => void error; // pipeline destroys every stage on error; the last one carries it.
    return entry.method === DEFLATED ? pipeline(raw, createInflateRaw(), check, done) : pipeline(raw, check, done);
  }
}

/** Counts and checksums the inflated bytes; stops at the first byte past the declared size. */
class EntryCheck extends Transform {
  private bytes = 0;
  private crc = 0;

  constructor(private readonly entry: ZipEntry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.entry.uncompressedSize) {
      callback(new Error(`${this.entry.name} is larger than its declared ${this.entry.uncompressedSize} bytes`));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes !== this.entry.uncompressedSize) callback(new Error(`${this.entry.name} has ${this.bytes} bytes, not ${this.entry.uncompressedSize}`));
    else if (this.crc !== this.entry.crc32) callback(new Error(`${this.entry.name} fails its CRC-32 check`));
    else callback();
  }
}

/** The last end-of-directory signature whose comment ends exactly at the end of the file. */
function findEndOfDirectory(tail: Buffer): number {
  for (let at = tail.length - 22; at >= 0; at -= 1) {
    if (tail.readUInt32LE(at) === END_OF_DIRECTORY && at + 22 + tail.readUInt16LE(at + 20) === tail.length) return at;
  }
  return -1;
}

function parseDirectory(directory: Buffer, count: number, fileSize: number): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== DIRECTORY_HEADER) throw new Error("damaged central directory");
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > directory.length) throw new Error("damaged central directory");
    const name = directory.toString("utf8", at + 46, at + 46 + nameLength);
    const sizes = {
      uncompressedSize: directory.readUInt32LE(at + 24),
      compressedSize: directory.readUInt32LE(at + 20),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    readZip64Fields(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), sizes);
    if (sizes.localHeaderOffset >= fileSize) throw new Error(`${name}: local header outside the file`);
    entries.set(name, {
      name,
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      crc32: directory.readUInt32LE(at + 16),
      ...sizes,
    });
    at = next;
  }
  return entries;
}

/** ZIP64 extended information (header 0x0001): 64-bit values for the fields stored as 0xFFFFFFFF, in order. */
function readZip64Fields(extra: Buffer, sizes: { uncompressedSize: number; compressedSize: number; localHeaderOffset: number }): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      for (const key of ["uncompressedSize", "compressedSize", "localHeaderOffset"] as const) {
        if (sizes[key] !== 0xffffffff) continue;
        if (field + 8 > at + 4 + length) throw new Error("damaged ZIP64 extra field");
        sizes[key] = safeNumber(extra.readBigUInt64LE(field));
        field += 8;
      }
      return;
    }
    at += 4 + length;
  }
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("ZIP64 value out of range");
  return Number(value);
}

/** A small range (a header, the directory) collected into one buffer. */
async function readRange(source: SettlementFileSource, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source.stream({ start, end })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
