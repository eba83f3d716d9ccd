import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import express from "express";

import { type Clock } from "../../app/lib/clock";
import { silentLogger } from "../../app/lib/logger";
import {
  createPagoEfectivoEmulator,
  type PagoEfectivoEmulator,
  type PagoEfectivoEmulatorOptions,
} from "../../app/sandbox/pagoefectivo/pagoefectivo-emulator";

export const MOUNT_PATH = "/sandbox/pagoefectivo";

export interface EmulatorHarness {
  emulator: PagoEfectivoEmulator;
  /** http://127.0.0.1:<port>/sandbox/pagoefectivo */
  baseUrl: string;
  dataDir: string;
  /** Closes the server and the emulator, keeps dataDir. */
  stop(): Promise<void>;
}

export async function makeTempDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "pe-emulator-"));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function startEmulator(
  options: { dataDir: string; clock: Clock } & Partial<Pick<PagoEfectivoEmulatorOptions, "notificationRetryDelayMs" | "notificationTimeoutMs">>,
): Promise<EmulatorHarness> {
  let baseUrl = "";
  const emulator = await createPagoEfectivoEmulator({
    dataDir: options.dataDir,
    clock: options.clock,
    logger: silentLogger,
    publicUrl: () => baseUrl,
    notificationRetryDelayMs: options.notificationRetryDelayMs ?? 50,
    notificationTimeoutMs: options.notificationTimeoutMs ?? 2_000,
  });
  const app = express();
  app.use(MOUNT_PATH, emulator.router);
  const server = await listen(http.createServer(app));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${MOUNT_PATH}`;
  return {
    emulator,
    baseUrl,
    dataDir: options.dataDir,
    async stop() {
      await emulator.close();
      await closeServer(server);
    },
  };
}

export interface ReceivedNotification {
  rawBody: Buffer;
  headers: http.IncomingHttpHeaders;
}

export interface NotificationReceiver {
  url: string;
  received: ReceivedNotification[];
  /** Statuses to answer with, in order; after they run out the receiver answers 200. */
  respondWith(...statuses: number[]): void;
  reset(): void;
  close(): Promise<void>;
}

/** A bare node:http server so the test sees exactly the bytes the emulator sent. */
export async function startNotificationReceiver(): Promise<NotificationReceiver> {
  const received: ReceivedNotification[] = [];
  let statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ rawBody: Buffer.concat(chunks), headers: req.headers });
      res.statusCode = statuses.shift() ?? 200;
      res.setHeader("Content-Type", "application/json");
      res.end('{"code":"100","message":"Solicitud con datos válidos"}');
    });
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notifications`,
    received,
    respondWith: (...s) => {
      statuses = s;
    },
    reset: () => {
      received.length = 0;
      statuses = [];
    },
    close: () => closeServer(server),
  };
}

function listen(server: http.Server): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}

/** Lima time with the vendor's fixed offset, second precision. */
export function limaDate(at: Date): string {
  const l = new Date(at.getTime() - 5 * 3600 * 1000);
  return `${l.toISOString().slice(0, 19)}-05:00`;
}

export function authorizationHash(idService: number, accessKey: string, secretKey: string, dateRequest: string): string {
  return createHash("sha256").update(`${idService}.${accessKey}.${secretKey}.${dateRequest}`).digest("hex");
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when it is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read vendor shapes freely
}

/** Sends a body string verbatim, so tests control the exact literals (150.00) the emulator sees. */
export async function send(
  method: string,
  url: string,
  options: { body?: string | object; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<JsonResponse> {
  const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...options.headers },
    body,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export interface TestService {
  idService: number;
  accessKey: string;
  secretKey: string;
}

/** Obtains a token the way a client does, dating the request with the given clock. */
export async function getToken(baseUrl: string, service: TestService, clock: Clock): Promise<string> {
  const dateRequest = limaDate(clock.now());
  const res = await send("POST", `${baseUrl}/v1/authorizations`, {
    body: {
      accessKey: service.accessKey,
      idService: service.idService,
      dateRequest,
      hashString: authorizationHash(service.idService, service.accessKey, service.secretKey, dateRequest),
    },
  });
  if (res.status !== 201) throw new Error(`authorization failed: ${res.status} ${res.text}`);
  return res.json.data.token as string;
}

/** A valid POST /v1/cips body as text; `amount` is spliced in as a raw literal. */
export function cipBody(overrides: Record<string, unknown> = {}, amountLiteral = "150.00"): string {
  const fields: Record<string, unknown> = {
    currency: "PEN",
    transactionCode: "order-1001",
    dateExpiry: "2030-01-01T00:00:00-05:00",
    paymentConcept: "Pedido #1001",
    userEmail: "comprador@example.pe",
    userName: "Ana",
    userLastName: "Quispe",
    userPhone: "987654321",
    userCodeCountry: "+51",
    userDocumentType: "DNI",
    userDocumentNumber: "45678912",
    ...overrides,
  };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) delete fields[k];
  const json = JSON.stringify(fields);
  return amountLiteral === "" ? json : `{"amount":${amountLiteral},${json.slice(1)}`;
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}`, Origin: "web" };
}
