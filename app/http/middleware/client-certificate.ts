import { timingSafeEqual, X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";

import type { RequestHandler } from "express";

import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";

/**
 * Shopify-facing session endpoints accept only requests that present a client certificate
 * chaining to Shopify's Payments Platform CA (the sandbox's own CA in sandbox mode).
 *
 * - direct: the app terminates TLS itself (requestCert, rejectUnauthorized off so a refusal is a
 *   readable 401/403 instead of a dropped handshake) and checks what the TLS stack verified.
 * - proxy: a TLS-terminating proxy forwards the client certificate (URL-encoded PEM) in a header.
 *   The request must also carry the shared proxy secret, so nobody can reach the app around the
 *   proxy, and the app verifies the forwarded certificate against the CA itself.
 */
export type ClientCertificatePolicy =
  | { mode: "direct" }
  | { mode: "proxy"; caPem: string; certHeader: string; proxySecret: string };

export const PROXY_SECRET_HEADER = "x-mtls-proxy-secret";

export function requireClientCertificate(policy: ClientCertificatePolicy, clock: Clock, logger: Logger): RequestHandler {
  const proxyCa = policy.mode === "proxy" ? parseCaBundle(policy.caPem) : [];
  return (req, res, next) => {
    const refuse = (status: 401 | 403, message: string) => {
      logger.warn({ path: req.path, status, reason: message }, "session request refused by mTLS check");
      res.status(status).json({ error: { code: status === 401 ? "client_certificate_required" : "client_certificate_rejected", message } });
    };
    if (policy.mode === "direct") {
      const socket = req.socket as TLSSocket;
      if (typeof socket.getPeerCertificate !== "function") return refuse(401, "This endpoint requires mutual TLS");
      // authorized: the TLS stack verified a client certificate against the CA (one per connection, not per request);
      // the certificate is read only to say why a request is refused.
      if (socket.authorized) return next();
      const peer = socket.getPeerCertificate();
      if (!peer || Object.keys(peer).length === 0) return refuse(401, "A client certificate is required");
      if (!socket.authorized) return refuse(403, `Client certificate not trusted: ${String(socket.authorizationError ?? "unknown reason")}`);
      return next();
    }
    const secret = req.header(PROXY_SECRET_HEADER) ?? "";
    if (!safeEqual(secret, policy.proxySecret)) return refuse(401, "Request did not come through the mTLS proxy");
    const forwarded = req.header(policy.certHeader);
    if (!forwarded) return refuse(401, "A client certificate is required");
    const pem = decodeForwardedCert(forwarded);
    if (pem === null) return refuse(403, "Client certificate not trusted: the forwarded certificate is not valid URL encoding");
    const verdict = verifyChain(pem, proxyCa, clock.now());
    if (verdict !== "ok") return refuse(403, `Client certificate not trusted: ${verdict}`);
    return next();
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseCaBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

/** The forwarded PEM, or null when its URL encoding is broken (a 403, not a 500: fuzz-session-endpoints.test.ts). */
function decodeForwardedCert(value: string): string | null {
  // nginx ($ssl_client_escaped_cert) and most proxies URL-encode the PEM; Envoy's XFCC carries Cert="...".
  const xfcc = /Cert="([^"]+)"/.exec(value);
  try {
    return decodeURIComponent(xfcc?.[1] ?? value);
  } catch {
    return null;
  }
}

/** Checks a leaf (plus any intermediates sent with it) up to one of the trusted CAs. */
export function verifyChain(pem: string, trusted: X509Certificate[], now: Date): "ok" | string {
  let chain: X509Certificate[];
  try {
    chain = parseCaBundle(pem);
  } catch {
    return "unreadable certificate";
  }
  const leaf = chain[0];
  if (!leaf) return "no certificate";
  let current = leaf;
  for (let depth = 0; depth < 5; depth += 1) {
    if (new Date(current.validFrom) > now || new Date(current.validTo) < now) return "certificate outside its validity period";
    const anchor = trusted.find((ca) => current.checkIssued(ca) && current.verify(ca.publicKey));
    if (anchor) return "ok";
    const parent = chain.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey) && c.ca);
    if (!parent) return "does not chain to the trusted CA";
    current = parent;
  }
  return "chain too long";
}
