import http from "node:http";
import net from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readRawBody } from "../../../app/http/middleware/read-raw-body";

/** The notification route's body reader: exact bytes, bounded, clear 413/400/415 (issue #13). */
describe("readRawBody", () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const read = await readRawBody(req, 16);
      const text = read.ok ? read.body.toString("hex") : read.message;
      res.writeHead(read.ok ? 200 : read.status, { "content-length": Buffer.byteLength(text) }).end(text);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** Sends raw HTTP/1.1 and returns the status line's code and the body. */
  const send = (head: string, body: Buffer | string, endEarly = false) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.write(`POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${head}\r\n`);
        socket.write(body);
        if (endEarly) socket.end();
      });
      let data = "";
      socket.on("data", (chunk) => (data += chunk.toString("latin1")));
      socket.on("end", () => resolve({ status: Number(data.slice(9, 12)), text: data.slice(data.indexOf("\r\n\r\n") + 4) }));
      socket.on("error", reject);
    });

  it("returns the exact bytes sent", async () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x00, 0xff]);
    expect(await send(`Content-Length: ${bytes.length}\r\n`, bytes)).toEqual({ status: 200, text: bytes.toString("hex") });
    expect(await send(`Transfer-Encoding: chunked\r\n`, "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")).toEqual({ status: 200, text: Buffer.from("abcde").toString("hex") });
  });

  it("refuses a declared or streamed body over the limit with 413", async () => {
    expect((await send(`Content-Length: 17\r\n`, "x".repeat(17))).status).toBe(413);
    expect((await send(`Transfer-Encoding: chunked\r\n`, `11\r\n${"x".repeat(17)}\r\n0\r\n\r\n`)).status).toBe(413);
    expect((await send(`Content-Length: 16\r\n`, "x".repeat(16))).status).toBe(200);
  });

  it("refuses a cut-off body with 400 and a compressed one with 415", async () => {
    expect((await send(`Content-Length: 10\r\n`, "abc", true)).status).toBe(400);
    expect((await send(`Content-Length: 3\r\nContent-Encoding: gzip\r\n`, "abc")).status).toBe(415);
  });
});
