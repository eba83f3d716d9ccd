import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

import { createCertificateAuthority, issueCertificate, type PemPair } from "../../app/sandbox/certificates";

/**
 * The app as an operator runs it in production mode (APP_MODE=production, direct mTLS with its own
 * server certificate, a client CA standing in for Shopify's), with the worker and scheduler off so only
 * the request path is measured, and the PagoEfectivo pre-production URL pointed at the emulator if one runs.
 */
export interface BenchTls {
  serverCaPem: string;
  client: PemPair;
  clientCaPem: string;
  files: { cert: string; key: string; clientCa: string };
}

export function writeTls(dir: string): BenchTls {
  const serverCa = createCertificateAuthority("Bench server CA");
  const server = issueCertificate(serverCa, { commonName: "localhost", kind: "server", altNames: ["localhost", "127.0.0.1"] });
  const clientCa = createCertificateAuthority("Bench Payments Platform CA");
  const client = issueCertificate(clientCa, { commonName: "payments-platform.bench", kind: "client" });
  const files = { cert: path.join(dir, "server.crt"), key: path.join(dir, "server.key"), clientCa: path.join(dir, "client-ca.crt") };
  writeFileSync(files.cert, server.certPem);
  writeFileSync(files.key, server.keyPem, { mode: 0o600 });
  writeFileSync(files.clientCa, clientCa.certPem);
  return { serverCaPem: serverCa.certPem, client, clientCaPem: clientCa.certPem, files };
}

export function appEnv(params: {
  port: number;
  mtlsPort: number;
  dataDir: string;
  databaseUrl: string;
  encryptionKey: Buffer;
  tls: BenchTls;
  pagoefectivoUrl?: string;
}): Record<string, string> {
  const appUrl = `http://127.0.0.1:${params.port}`;
  return {
    APP_MODE: "production",
    NODE_ENV: "production",
    PORT: String(params.port),
    HOST: "127.0.0.1",
    APP_URL: appUrl,
    MTLS_PORT: String(params.mtlsPort),
    MTLS_HOST: "127.0.0.1",
    MTLS_PUBLIC_URL: `https://localhost:${params.mtlsPort}`,
    TLS_CERT_FILE: params.tls.files.cert,
    TLS_KEY_FILE: params.tls.files.key,
    SHOPIFY_CLIENT_CA_FILE: params.tls.files.clientCa,
    ENCRYPTION_KEY: params.encryptionKey.toString("base64"),
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: randomBytes(16).toString("hex"),
    DATA_DIR: params.dataDir,
    DATABASE_URL: params.databaseUrl,
    LOG_LEVEL: "info",
    WORKER_ENABLED: "false",
    SCHEDULER_ENABLED: "false",
    ...(params.pagoefectivoUrl ? { PAGOEFECTIVO_PRE_URL: params.pagoefectivoUrl, PAGOEFECTIVO_PROD_URL: params.pagoefectivoUrl } : {}),
  };
}

/**
 * A free port on 127.0.0.1: any the system gives, or with `BENCH_PORTS=LOW-HIGH` one in that range (so
 * benchmarks on a shared machine stay inside the ports they were given).
 */
export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? "");
  if (!range) return listenOnce(0);
  const [low, high] = [Number(range[1]), Number(range[2])];
  const start = low + Math.floor(Math.random() * (high - low + 1));
  for (let i = 0; i <= high - low; i += 1) {
    const port = low + ((start - low + i) % (high - low + 1));
    if (handedOut.has(port)) continue;
    try {
      await listenOnce(port);
      handedOut.add(port);
      return port;
    } catch {
      // taken: try the next one
    }
  }
  throw new Error(`no free port in BENCH_PORTS=${process.env.BENCH_PORTS}`);
}

/** Ports already given to this run's servers (they may not be listening yet). */
const handedOut = new Set<number>();

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}
