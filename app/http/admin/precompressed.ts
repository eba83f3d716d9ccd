import { existsSync } from "node:fs";
import path from "node:path";

import type { RequestHandler } from "express";

/**
 * Serves the `.br` / `.gz` twin the build wrote next to an asset (web/vite.config.ts, precompress)
 * to a browser that accepts it, with the original's type and the same caching; anything else falls
 * through to express.static. Compressed once at build time at the highest level, never per request.
 */
export function precompressedAssets(dir: string, options: { cacheControl: string }): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const accepted = req.get("accept-encoding") ?? "";
    const relative = decodePath(req.path);
    if (relative === null) return next();
    if (!relative || relative.includes("..") || relative.includes("\0")) return next();
    for (const [encoding, extension] of [
      ["br", ".br"],
      ["gzip", ".gz"],
    ] as const) {
      if (!acceptsEncoding(accepted, encoding) || !existsSync(path.join(dir, relative + extension))) continue;
      res.setHeader("Content-Encoding", encoding);
      res.setHeader("Vary", "Accept-Encoding");
      res.setHeader("Cache-Control", options.cacheControl);
      res.type(path.extname(relative));
      res.sendFile(relative + extension, { root: dir, cacheControl: false, lastModified: true, etag: true }, (error) => {
        if (error) next(error);
      });
      return;
    }
    res.setHeader("Vary", "Accept-Encoding");
    next();
  };
}

/** The request path without its leading slashes, or null when its percent-encoding is broken (then express.static answers, not a 500). */
function decodePath(requestPath: string): string | null {
  try {
    return decodeURIComponent(requestPath).replace(/^\/+/, "");
  } catch {
    return null;
  }
}

/** Whether an Accept-Encoding header allows `encoding` (listed without q=0). */
function acceptsEncoding(header: string, encoding: string): boolean {
  return header
    .toLowerCase()
    .split(",")
    .some((part) => {
      const [name, ...params] = part.trim().split(";");
      if (name !== encoding) return false;
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return q === undefined || Number(q.slice(2)) > 0;
    });
}
