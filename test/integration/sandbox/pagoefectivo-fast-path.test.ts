import http from "node:http";
import { type AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FixedClock } from "../../../app/lib/clock";
import { silentLogger } from "../../../app/lib/logger";
import { createPagoEfectivoEmulator, type PagoEfectivoEmulator } from "../../../app/sandbox/pagoefectivo/pagoefectivo-emulator";
import { bearer, cipBody, getToken, makeTempDataDir, MOUNT_PATH, removeDir, send, type TestService } from "../../helpers/pagoefectivo-emulator-harness";

/**
 * The sandbox process answers plain POST /v1/cips without Express (v1-fast-path). Every answer must be the one the
 * Express router gives: the same request is sent to a server with the fast path in front and to one without, and
 * status, header names in order, header values and body are compared (Date aside; CIP number and voucher URL aside
 * on a created CIP, since each request creates its own).
 */
const START = new Date("2025-06-02T15:00:00.000Z");
const SERVICE: TestService = { idService: 1234, accessKey: "AKfast0123456789abcd", secretKey: "sk-fast" };

let dataDir: string;
let emulator: PagoEfectivoEmulator;
const servers: http.Server[] = [];
let plainUrl: string;
let fastUrl: string;
let token: string;
const clock = new FixedClock(START);

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dataDir = await makeTempDataDir();
  let publicUrl = "";
  emulator = await createPagoEfectivoEmulator({ dataDir, clock, logger: silentLogger, publicUrl: () => publicUrl });
  // As app/sandbox/main.ts builds its app.
  const app = express();
  app.disable("x-powered-by");
  app.use(MOUNT_PATH, emulator.router);
  const fast = emulator.fastPath(MOUNT_PATH);
  plainUrl = await listen(http.createServer(app));
  fastUrl = await listen(http.createServer((req, res) => fast(req, res, () => void app(req, res))));
  publicUrl = `http://voucher.test${MOUNT_PATH}`;
  await emulator.registerService({ ...SERVICE, notificationUrl: null, maxAmountMinor: 100_000 });
  token = await getToken(`${plainUrl}${MOUNT_PATH}`, SERVICE, clock);
});

afterAll(async () => {
  await emulator.close();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await removeDir(dataDir);
});

interface Raw {
  status: number;
  headers: [string, string][];
  body: string;
}

function post(base: string, headers: Record<string, string>, body: string, path = `${MOUNT_PATH}/v1/cips`): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: "POST", headers: { "Content-Length": String(Buffer.byteLength(body)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? ""]);
        resolve({ status: res.statusCode ?? 0, headers: pairs.filter(([name]) => name !== "Date"), body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function both(headers: Record<string, string>, body: string, path?: string): Promise<[Raw, Raw]> {
  return [await post(plainUrl, headers, body, path), await post(fastUrl, headers, body, path)];
}

const json = { "Content-Type": "application/json" };

describe("POST /v1/cips on the sandbox process's fast path", () => {
  it("creates a CIP with the answer Express writes", async () => {
    const [plain, fast] = await both({ ...json, ...bearer(token), Origin: "web" }, cipBody({ transactionCode: "fast-1" }, "150.00"));
    expect(plain.status).toBe(201);
    expect(fast.status).toBe(201);
    const { cip: plainCip, cipUrl: plainUrlOf, ...plainRest } = JSON.parse(plain.body).data;
    const { cip: fastCip, cipUrl: fastUrlOf, ...fastRest } = JSON.parse(fast.body).data;
    expect(fastCip).toBe(plainCip + 1);
    expect(fastRest).toEqual(plainRest);
    expect(String(fastUrlOf)).toMatch(/^http:\/\/voucher\.test\/sandbox\/pagoefectivo\/voucher\/[0-9A-F-]{36}\.html$/);
    expect(String(plainUrlOf)).toMatch(/^http:\/\/voucher\.test\/sandbox\/pagoefectivo\/voucher\/[0-9A-F-]{36}\.html$/);
    expect(fast.headers.map(([name]) => name)).toEqual(plain.headers.map(([name]) => name));
    const without = (h: [string, string][]) => h.filter(([name]) => name !== "ETag");
    expect(without(fast.headers)).toEqual(without(plain.headers));
    expect(fast.headers.find(([name]) => name === "ETag")?.[1]).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    // The CIP the fast path created is stored like any other.
    const view = await send("GET", `${plainUrl}${MOUNT_PATH}/cips/${fastCip}`);
    expect(view.json).toMatchObject({ status: "pending", transactionCode: "fast-1", amount: "150.00" });
  });

  it.each([
    ["no token", json, cipBody()],
    ["a forged token", { ...json, Authorization: "Bearer abc.def.ghi" }, cipBody()],
    ["a malformed body", { ...json, auth: "token" }, '{"amount":'],
    ["an empty body", { ...json, auth: "token" }, ""],
    ["invalid fields", { ...json, auth: "token" }, cipBody({ userEmail: "not-an-email", userPhone: undefined })],
    ["an amount over the service's limit", { ...json, auth: "token" }, cipBody({}, "1000.01")],
    ["another service's id", { ...json, auth: "token" }, cipBody({ serviceId: 9999 })],
    ["a text/plain body (Express on both)", { "Content-Type": "text/plain", auth: "token" }, cipBody()],
    ["a charset (fast path)", { "Content-Type": "application/json; charset=utf-8", auth: "token" }, cipBody({}, "0")],
  ])("answers %s exactly as Express does", async (_name, given, body) => {
    const { auth, ...headers } = given as Record<string, string>;
    const [plain, fast] = await both(auth ? { ...headers, ...bearer(token) } : headers, body);
    expect(plain.status).toBeGreaterThanOrEqual(400);
    expect(fast).toEqual(plain);
  });

  it("leaves a call with a fault queued for cips to Express, which applies it once", async () => {
    const fault = await send("POST", `${plainUrl}${MOUNT_PATH}/faults`, { body: { kind: "error5xx", count: 1, paths: ["cips"], status: 503 } });
    expect(fault.status, fault.text).toBeLessThan(300);
    const faulted = await post(fastUrl, { ...json, ...bearer(token) }, cipBody());
    expect(faulted.status).toBe(503);
    const next = await post(fastUrl, { ...json, ...bearer(token) }, cipBody());
    expect(next.status).toBe(201);
  });
});
