import { readFileSync } from "node:fs";
import http from "node:http";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

/**
 * The baseline: node:http serving one buyer page's bytes from memory, already compressed (gzip and
 * brotli, chosen by Accept-Encoding), with the app's own headers. What a static file server with
 * precompressed files does; nothing can be cheaper per request. Prints its port on stdout.
 */
const [file, headersJson, portArg] = process.argv.slice(2);
if (!file || !headersJson) throw new Error("usage: static-server.ts <page.html> <headers.json> [port]");
const identity = readFileSync(file);
const bodies = {
  br: brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
  gzip: gzipSync(identity, { level: 6 }),
  identity,
};
const headers = JSON.parse(readFileSync(headersJson, "utf8")) as Record<string, string>;

const server = http.createServer((req, res) => {
  const accept = req.headers["accept-encoding"] ?? "";
  const encoding = accept.includes("br") ? "br" : accept.includes("gzip") ? "gzip" : "identity";
  const body = bodies[encoding];
  res.writeHead(200, {
    ...headers,
    ...(encoding === "identity" ? {} : { "Content-Encoding": encoding }),
    "Content-Length": body.length,
  });
  res.end(body);
});
server.listen(Number(portArg ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
