import http from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";

import { err, ok, type Result } from "../../lib/result";

/** HTTP(S) calls from "Shopify" to the app: session requests over mTLS and webhooks. */

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Extra CA trusted besides the public roots (the app's sandbox CA). */
  caPem?: string;
  /** Client certificate presented during the TLS handshake (mTLS). */
  clientCert?: { certPem: string; keyPem: string };
  timeoutMs: number;
}

export interface OutboundResponse {
  status: number;
  contentType: string | null;
  body: string;
  /** Bytes received, counted before any truncation. */
  size: number;
}

export interface OutboundError {
  kind: "network" | "timeout";
  message: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

export interface OutboundAgents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

/**
 * How long an idle kept-alive connection to the app is kept. Without an agent timeout Node keeps idle sockets
 * forever and ignores the server's `Keep-Alive: timeout=5` hint (Node 20's Agent.keepSocketAlive only lowers a
 * timeout that is set), so the app's server (Node's default keepAliveTimeout, 5 s) closed connections this client
 * could still pick for the next session request: sent on a socket being closed, it failed with ECONNRESET or
 * "socket hang up" (seen in the database-outage chaos scenario, where streams of checkouts resume after a 6 s
 * outage). With a timeout set, Node closes an idle socket 1 s before the server's hint, or after this, whichever
 * comes first. Transport hygiene every HTTP client has (undici: 1 s before the hint), not a rule of Shopify's.
 */
const FREE_SOCKET_MS = 4_000;

export function createOutboundAgents(): OutboundAgents {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64, timeout: FREE_SOCKET_MS }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64, timeout: FREE_SOCKET_MS }),
  };
  return {
    ...agents,
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export function postOutbound(agents: OutboundAgents, request: OutboundRequest): Promise<Result<OutboundResponse, OutboundError>> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      resolve(err({ kind: "network", message: `Invalid URL: ${request.url}` }));
      return;
    }
    const headers = { ...request.headers, "Content-Length": String(Buffer.byteLength(request.body)) };
    const isHttps = url.protocol === "https:";
    const options: https.RequestOptions = {
      method: "POST",
      headers,
      agent: isHttps ? agents.https : agents.http,
      timeout: request.timeoutMs,
    };
    if (isHttps) {
      options.ca = request.caPem ? [...rootCertificates, request.caPem] : [...rootCertificates];
      if (request.clientCert) {
        options.cert = request.clientCert.certPem;
        options.key = request.clientCert.keyPem;
      }
    }
    const send = isHttps ? https.request : http.request;
    let settled = false;
    const finish = (result: Result<OutboundResponse, OutboundError>) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      res.on("end", () =>
        finish(
          ok({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"] ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
            size,
          }),
        ),
      );
      res.on("error", (error) => finish(err({ kind: "network", message: error.message })));
    });
    req.on("timeout", () => {
      finish(err({ kind: "timeout", message: `No response within ${request.timeoutMs} ms` }));
      req.destroy();
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      finish(err({ kind: "network", message: error.code ? `${error.code}: ${error.message}` : error.message })),
    );
    req.end(request.body);
  });
}
