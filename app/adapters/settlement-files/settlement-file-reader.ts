import { type Readable, Transform, type TransformCallback } from "node:stream";

import type { SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import type { SettlementFilePreview, SettlementFileReader, SettlementFileRows, SettlementRowResult } from "../../ports/settlement-files";
import type { SettlementFileFormat } from "../../ports/settlement-imports";
import { previewSettlementCsv, readSettlementCsv } from "./csv-settlement-reader";
import { previewSettlementXlsx, readSettlementXlsx } from "./xlsx-settlement-reader";

/** CSV through csv-parse, XLSX through exceljs's streaming reader; both streamed, never held in memory. */
export class SettlementFiles implements SettlementFileReader {
  read(format: SettlementFileFormat, file: Readable, mapping: SettlementColumnMapping): SettlementFileRows {
    const counter = new ByteCounter();
    file.on("error", (error) => counter.destroy(error));
    file.pipe(counter);
    const rows: AsyncIterable<SettlementRowResult> = format === "xlsx" ? readSettlementXlsx(counter, mapping) : readSettlementCsv(counter, mapping);
    return {
      [Symbol.asyncIterator]: () => rows[Symbol.asyncIterator](),
      bytesRead: () => counter.bytes,
      close: () => {
        file.destroy();
        counter.destroy();
      },
    };
  }

  async preview(
    format: SettlementFileFormat,
    file: Readable,
    rows: number,
    mapping: SettlementColumnMapping | null,
  ): Promise<SettlementFilePreview & { delimiter?: string; encoding?: string }> {
    const options = mapping ? { mapping } : {};
    try {
      return format === "xlsx" ? await previewSettlementXlsx(file, rows, options) : await previewSettlementCsv(file, rows, options);
    } finally {
      file.destroy();
    }
  }
}

/** Counts the bytes that pass, for the progress bar (bytes read / file size). */
class ByteCounter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
