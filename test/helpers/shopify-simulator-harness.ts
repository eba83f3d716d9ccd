import http from "node:http";
import { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { type AddressInfo } from "node:net";
import { type TLSSocket } from "node:tls";

import express from "express";

import { type Clock } from "../../app/lib/clock";
import { silentLogger } from "../../app/lib/logger";
import { type TlsBundle } from "../../app/sandbox/certificates";
import { createShopifySimulator, type ShopifySimulator } from "../../app/sandbox/shopify/shopify-simulator";

/** Test servers around the Shopify simulator: the simulator itself, a fake mTLS app and a webhook sink. */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the TLS layer verified the client certificate against the configured CA. */
  authorized: boolean;
  clientCommonName: string | null;
}

export interface Reply {
  status: number;
  body?: string;
  contentType?: string;
}

export interface FakeApp {
  url: string;
  requests: RecordedRequest[];
  /** Replaces how the fake app answers; the default gives 201 + redirect_url (payments) or empty 201. */
  respondWith(responder: ((request: RecordedRequest) => Reply) | null): void;
  close(): Promise<void>;
}

/** The payments app stand-in: HTTPS that refuses any client without a Payments Platform certificate. */
export async function startFakeApp(tls: TlsBundle, clientCaPem: string): Promise<FakeApp> {
  const requests: RecordedRequest[] = [];
  let responder: ((request: RecordedRequest) => Reply) | null = null;
  let baseUrl = "";
  const defaultReply = (request: RecordedRequest): Reply => {
    if (request.path === "/payment_session") {
      const { id } = JSON.parse(request.body) as { id: string };
      return { status: 201, body: JSON.stringify({ redirect_url: `${baseUrl}/pay/${id}` }), contentType: "application/json" };
    }
    return { status: 201 };
  };
  const server = https.createServer(
    { key: tls.keyPem, cert: tls.certPem, ca: clientCaPem, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const socket = req.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        const request: RecordedRequest = {
          method: req.method ?? "",
          path: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          authorized: socket.authorized,
          clientCommonName: typeof peer?.subject?.CN === "string" ? peer.subject.CN : null,
        };
        requests.push(request);
        const reply = (responder ?? defaultReply)(request);
        res.statusCode = reply.status;
        if (reply.contentType) res.setHeader("Content-Type", reply.contentType);
        res.end(reply.body ?? "");
      });
    },
  );
  const port = await listen(server);
  baseUrl = `https://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    requests,
    respondWith: (next) => {
      responder = next;
    },
    close: () => closeServer(server),
  };
}

export interface WebhookSink {
  url: string;
  received: RecordedRequest[];
  /** The next `count` deliveries are answered 500. */
  failNext(count: number): void;
  close(): Promise<void>;
}

/** Plain HTTP receiver for webhooks (Shopify does not use mTLS for webhooks). */
export async function startWebhookSink(): Promise<WebhookSink> {
  const received: RecordedRequest[] = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        authorized: false,
        clientCommonName: null,
      });
      // A handler that fails: Shopify counts anything but 2xx as a failed delivery.
      res.statusCode = failures > 0 ? 500 : 200;
      failures = Math.max(0, failures - 1);
      res.end();
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext: (count: number) => {
      failures = count;
    },
    close: () => closeServer(server),
  };
}

export interface RunningSimulator {
  simulator: ShopifySimulator;
  /** e.g. http://127.0.0.1:41234/sandbox/shopify */
  baseUrl: string;
  close(): Promise<void>;
}

export async function startSimulatorServer(options: { dataDir: string; clock: Clock; faultTimeoutMs?: number }): Promise<RunningSimulator> {
  let baseUrl = "";
  const simulator = await createShopifySimulator({
    dataDir: options.dataDir,
    clock: options.clock,
    // Retries are sent by the tests through POST /webhooks/retries/run, so their timing is exact.
    webhookRetryEveryMs: null,
    logger: silentLogger,
    publicUrl: () => baseUrl,
    ...(options.faultTimeoutMs !== undefined ? { faultTimeoutMs: options.faultTimeoutMs } : {}),
  });
  const app = express();
  app.use("/sandbox/shopify", simulator.router);
  const server = http.createServer(app);
  const port = await listen(server);
  baseUrl = `http://127.0.0.1:${port}/sandbox/shopify`;
  return {
    simulator,
    baseUrl,
    close: async () => {
      await simulator.close();
      await closeServer(server);
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text.length > 0 ? (JSON.parse(text) as unknown) : null };
}

export async function getJson(url: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url);
  return { status: response.status, json: (await response.json()) as unknown };
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
