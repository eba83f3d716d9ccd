import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { keepAliveFetch } from "../../../../app/adapters/http-client/keep-alive-fetch";
import { sendHttpRequest } from "../../../../app/adapters/pagoefectivo/pagoefectivo-http";
import { silentLogger } from "../../../../app/lib/logger";

/**
 * The PagoEfectivo client's deadline while the app's event loop is blocked (issue #10): in the SQLite outage, a
 * statement that meets the other process's write lock waits out the busy timeout inside the synchronous call, and
 * the whole process waits with it. An answer that arrived meanwhile must be read, not thrown away as a timeout
 * (for a CIP creation that made a CIP of unknown number, which polling can never find: payments were lost).
 */
describe.each([
  ["the app's keep-alive fetch", keepAliveFetch()],
  ["the global fetch", fetch],
])("sendHttpRequest's deadline (%s)", (_name, fetchImpl) => {
  let server: http.Server;
  let baseUrl = "";
  /** How long the server's handler blocks the (shared) event loop after it has sent its answer. */
  let blockMs = 0;
  let answerAfterMs = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      setTimeout(() => {
        res.end('{"code":"100"}');
        // The answer's bytes are on their way; now the process is stuck in a synchronous call, as in the outage.
        const until = Date.now() + blockMs;
        while (Date.now() < until) {
          // blocked
        }
      }, answerAfterMs);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (timeoutMs: number) =>
    sendHttpRequest({ fetch: fetchImpl, logger: silentLogger, timeoutMs }, { operation: "createCip", method: "POST", baseUrl, path: "/v1/cips", headers: {}, body: "{}" });

  it("reads an answer that arrived while the event loop was blocked past the deadline", async () => {
    blockMs = 700;
    answerAfterMs = 0;
    expect(await send(300)).toEqual({ kind: "response", status: 200, json: { code: "100" } });
  });

  it("reads an answer that arrived while the event loop was blocked until just after the deadline", async () => {
    // The block ends 20 ms after the deadline: the timer is barely late, but the answer is already there.
    blockMs = 320;
    answerAfterMs = 0;
    expect(await send(300)).toEqual({ kind: "response", status: 200, json: { code: "100" } });
  });

  it("still times out when no answer comes", async () => {
    blockMs = 0;
    answerAfterMs = 1_500;
    const started = Date.now();
    expect(await send(300)).toEqual({ kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(1_200);
  });

  it("still times out after the grace when the loop was blocked and no answer came", async () => {
    // Another request blocks the loop past this one's deadline; this one's answer comes only much later.
    blockMs = 0;
    answerAfterMs = 2_000;
    const started = Date.now();
    const pending = send(300);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const until = Date.now() + 600;
    while (Date.now() < until) {
      // blocked
    }
    expect(await pending).toEqual({ kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(1_800);
  });
});
