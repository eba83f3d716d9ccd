import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ensureSpaBuilt, ROOT } from "../browser/browser-harness";
import { startTestApp, type TestApp } from "../helpers/test-app";

const SCRIPT = `console.log(${JSON.stringify("panel ".repeat(400))});`;

function get(url: string, acceptEncoding?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: acceptEncoding ? { "Accept-Encoding": acceptEncoding } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("the admin panel's assets: precompressed, long-cached", () => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), "pe-dist-"));
    mkdirSync(path.join(dist, "assets"));
    writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>panel</title>");
    writeFileSync(path.join(dist, "assets/index-abc123.js"), SCRIPT);
    writeFileSync(path.join(dist, "assets/index-abc123.js.br"), brotliCompressSync(SCRIPT));
    writeFileSync(path.join(dist, "assets/index-abc123.js.gz"), gzipSync(SCRIPT));
    t = await startTestApp({ admin: { webDistDir: dist } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it("sends brotli when accepted, else gzip, else the plain file, each with the JavaScript type and a year's immutable cache", async () => {
    const url = `${t.url}/admin/assets/index-abc123.js`;
    const br = await get(url, "gzip, deflate, br");
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toContain("javascript");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers.vary).toContain("Accept-Encoding");
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    expect(br.body.length).toBeLessThan(SCRIPT.length / 10);

    const gz = await get(url, "gzip;q=1, br;q=0");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(SCRIPT);

    const plain = await get(url);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    expect(plain.headers["cache-control"]).toContain("immutable");

    expect((await get(`${t.url}/admin/assets/missing-000.js`, "br")).status).toBe(404);
    expect((await get(`${t.url}/admin/assets/..%2f..%2fpackage.json`, "br")).status).toBe(404);
  });
});

/** The head links that make the browser fetch something as soon as index.html arrives. */
function linkedFromIndex(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) found.push(m[1] as string);
  for (const m of html.matchAll(/<link\b[^>]*\brel="(?:modulepreload|stylesheet)"[^>]*\bhref="([^"]+)"/g)) found.push(m[1] as string);
  return found;
}

describe("the admin panel's first load: the route's page chunk is named in index.html", () => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), "pe-dist-"));
    mkdirSync(path.join(dist, "assets"));
    writeFileSync(path.join(dist, "index.html"), '<!doctype html><html><head><script type="module" crossorigin src="/admin/assets/index-e1.js"></script></head><body></body></html>');
    writeFileSync(
      path.join(dist, "route-preloads.json"),
      JSON.stringify({
        base: "/admin/",
        routes: {
          payments: { modules: ["assets/payments-page-p1.js", "assets/payment-rows-r1.js"], css: [] },
          payment: { modules: ["assets/payment-detail-page-d1.js"], css: ["assets/payment-detail-page-d1.css"] },
          home: { modules: ["assets/home-page-h1.js"], css: [] },
        },
      }),
    );
    t = await startTestApp({ admin: { webDistDir: dist } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it("preloads the page of the route asked for, and nothing for a path the panel does not know", async () => {
    const payments = (await get(`${t.url}/admin/payments`)).body.toString();
    expect(linkedFromIndex(payments)).toEqual(["/admin/assets/index-e1.js", "/admin/assets/payments-page-p1.js", "/admin/assets/payment-rows-r1.js"]);
    const detail = await get(`${t.url}/admin/payments/ps_123`);
    expect(detail.headers["cache-control"]).toBe("no-store");
    expect(linkedFromIndex(detail.body.toString())).toEqual([
      "/admin/assets/index-e1.js",
      "/admin/assets/payment-detail-page-d1.css",
      "/admin/assets/payment-detail-page-d1.js",
    ]);
    expect(linkedFromIndex((await get(`${t.url}/admin`)).body.toString())).toContain("/admin/assets/home-page-h1.js");
    expect(linkedFromIndex((await get(`${t.url}/admin/no-such-page`)).body.toString())).toEqual(["/admin/assets/index-e1.js"]);
  });
});

/**
 * The real build (vite, as npm start and the browser tests make it): for every page, index.html names the entry
 * and the page's own chunk, so the chain is index.html -> code -> data (three requests deep, never four), and
 * everything index.html makes the browser fetch weighs under 300 KB compressed.
 */
describe("the built admin panel's first load", () => {
  let t: TestApp;
  beforeAll(async () => {
    ensureSpaBuilt();
    t = await startTestApp({ admin: { webDistDir: path.join(ROOT, "web", "dist") } });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  const pages: Array<[string, RegExp]> = [
    ["/admin", /\/home-page-[^/]+\.js$/],
    ["/admin/payments", /\/payments-page-[^/]+\.js$/],
    ["/admin/payments/ps_1", /\/payment-detail-page-[^/]+\.js$/],
    ["/admin/refunds", /\/refunds-page-[^/]+\.js$/],
    ["/admin/reconciliation", /\/reconciliation-page-[^/]+\.js$/],
    ["/admin/settings", /\/settings-page-[^/]+\.js$/],
    ["/admin/dead-letters", /\/dead-letters-page-[^/]+\.js$/],
  ];

  it.each(pages)("%s: the page chunk comes with the entry, and the first load is under 300 KB compressed", async (pathname, pageChunk) => {
    const index = await get(`${t.url}${pathname}`, "br");
    expect(index.status).toBe(200);
    const html = index.headers["content-encoding"] === "br" ? brotliDecompressSync(index.body).toString() : index.body.toString();
    const linked = linkedFromIndex(html);
    expect(linked.some((href) => pageChunk.test(href)), `${pathname} names its page chunk: ${linked.join(", ")}`).toBe(true);
    let bytes = index.body.length;
    for (const href of linked) {
      const asset = await get(`${t.url}${href}`, "br");
      expect(asset.status, href).toBe(200);
      bytes += asset.body.length;
    }
    expect(bytes, `${pathname}: ${bytes} bytes over the wire`).toBeLessThan(300 * 1024);
  });
});
