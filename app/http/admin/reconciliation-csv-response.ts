import type { Response } from "express";

import type { Logger } from "../../lib/logger";
import { writeWithBackpressure as write } from "../write-with-backpressure";

/**
 * Sends CSV records as a download, written as they come and waiting for the socket to drain, so a large
 * export is never held in memory. A failure after the first bytes can only cut the file short, so the
 * connection is closed rather than pretending the file is complete.
 */
export async function sendCsv(res: Response, fileName: string, records: Iterable<string> | AsyncIterable<string>, logger: Logger): Promise<void> {
  res.status(200);
  res.setHeader("Content-Type", "text/csv; charset=utf-8");
  res.setHeader("Content-Disposition", `attachment; filename="${fileName.replace(/[^\w.-]/g, "_")}"`);
  res.setHeader("Cache-Control", "no-store");
  let buffer = "";
  try {
    for await (const record of records) {
      if (res.destroyed) return;
      buffer += record;
      if (buffer.length >= 64 * 1024) {
        await write(res, buffer);
        buffer = "";
      }
    }
    if (buffer) await write(res, buffer);
    res.end();
  } catch (error) {
    logger.error({ err: error, fileName }, "CSV export failed mid-stream");
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
