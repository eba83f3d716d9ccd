import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { keepAliveFetch } from "../../../../app/adapters/http-client/keep-alive-fetch";

/** The fetch the PagoEfectivo client uses, against a real local server: what the client reads must be what fetch gives. */
describe("keepAliveFetch", () => {
  let server: http.Server;
  let base: string;
  const ports = new Set<number>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        if (req.url === "/echo") {
          res.writeHead(201, { "content-type": "application/json", "x-seen": "yes" });
          res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null, length: req.headers["content-length"] ?? null }));
        } else if (req.url === "/gzip") {
          res.writeHead(200, { "content-encoding": "gzip" });
          res.end(gzipSync('{"ok":true}'));
        } else if (req.url === "/redirect") {
          res.writeHead(302, { location: "https://elsewhere.example/" });
          res.end();
        } else if (req.url === "/slow") {
          setTimeout(() => res.end("late"), 2_000);
        } else if (req.url === "/cut") {
          res.writeHead(200, { "content-length": "100" });
          res.write("partial");
          setTimeout(() => res.socket?.destroy(), 20);
        } else {
          res.writeHead(503);
          res.end("down");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends method, headers and body, and gives status, headers and body as fetch does, on kept-alive connections", async () => {
    const send = keepAliveFetch();
    ports.clear();
    for (let i = 0; i < 3; i += 1) {
      const response = await send(`${base}/echo`, { method: "POST", headers: { Authorization: "Bearer t", "Content-Type": "application/json" }, body: '{"ñ":1}' });
      expect(response.status).toBe(201);
      expect(response.headers.get("x-seen")).toBe("yes");
      expect(await response.json()).toEqual({ method: "POST", body: '{"ñ":1}', auth: "Bearer t", length: String(Buffer.byteLength('{"ñ":1}')) });
    }
    expect(ports.size).toBe(1);
  });

  it("answers non-2xx statuses as responses, and decodes a gzip body", async () => {
    const send = keepAliveFetch();
    const down = await send(`${base}/nowhere`, { method: "DELETE" });
    expect([down.status, await down.text()]).toEqual([503, "down"]);
    expect(await (await send(`${base}/gzip`, { method: "POST", body: "" })).json()).toEqual({ ok: true });
  });

  it("rejects a redirect with redirect: 'error', an abort, a refused connection (with its code) and a cut response", async () => {
    const send = keepAliveFetch();
    await expect(send(`${base}/redirect`, { method: "POST", redirect: "error" })).rejects.toThrow(/redirect/);
    const controller = new AbortController();
    const slow = send(`${base}/slow`, { method: "POST", signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(slow).rejects.toThrow();
    expect(controller.signal.aborted).toBe(true);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(send(`http://127.0.0.1:${port}/`, { method: "POST" })).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await expect(send(`${base}/cut`, { method: "POST" })).rejects.toBeDefined();
  });
});
