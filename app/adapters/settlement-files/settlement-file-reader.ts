import { pipeline, type Readable, Transform, type TransformCallback } from "node:stream";

import type { SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import type { SettlementFilePreview, SettlementFileReader, SettlementFileRows, SettlementFileSource, SettlementRowResult } from "../../ports/settlement-files";
import type { SettlementFileFormat } from "../../ports/settlement-imports";
import { previewSettlementCsv, readSettlementCsv } from "./csv-settlement-reader";
import { previewSettlementXlsx, readSettlementXlsx } from "./xlsx-settlement-reader";

/**
 * CSV through csv-parse, streamed front to back; XLSX through its central directory (xlsx-settlement-reader.ts),
 * each part streamed. Neither holds the file or a sheet in memory. The file is closed when its rows end or
 * are closed, and after a preview.
 */
export class SettlementFiles implements SettlementFileReader {
  read(format: SettlementFileFormat, file: SettlementFileSource, mapping: SettlementColumnMapping): SettlementFileRows {
    const counted = new CountingSource(file);
    const rows: AsyncGenerator<SettlementRowResult> = format === "xlsx" ? readSettlementXlsx(counted, mapping) : readCsv(counted, mapping);
    return {
      [Symbol.asyncIterator]: () => rows,
      bytesRead: () => counted.bytes,
      close: () => {
        // Ends the generator (its finally closes the file); a generator already running or done is closed directly.
        void rows.return(undefined).finally(() => counted.close());
      },
    };
  }

  async preview(
    format: SettlementFileFormat,
    file: SettlementFileSource,
    rows: number,
    mapping: SettlementColumnMapping | null,
  ): Promise<SettlementFilePreview & { delimiter?: string; encoding?: string }> {
    const options = mapping ? { mapping } : {};
    if (format === "xlsx") return previewSettlementXlsx(file, rows, options);
    try {
      return await previewSettlementCsv(file.stream(), rows, options);
    } finally {
      await file.close();
    }
  }
}

async function* readCsv(file: SettlementFileSource, mapping: SettlementColumnMapping): AsyncGenerator<SettlementRowResult> {
  const stream = file.stream();
  try {
    yield* readSettlementCsv(stream, mapping);
  } finally {
    stream.destroy();
    await file.close();
  }
}

/** Counts the bytes read from the file, for the progress bar (bytes read / file size). */
class CountingSource implements SettlementFileSource {
  bytes = 0;

  constructor(private readonly file: SettlementFileSource) {}

  get sizeBytes(): number {
    return this.file.sizeBytes;
  }

  stream(range?: { readonly start: number; readonly end: number }): Readable {
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) => {
        this.bytes += chunk.length;
        callback(null, chunk);
      },
    });
    return pipeline(this.file.stream(range), counter, () => undefined);
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
