import type { Response } from "express";

/** Writes a chunk and waits for the socket to drain (or close), so large exports never pile up in memory. */
export function writeWithBackpressure(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
