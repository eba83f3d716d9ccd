import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import express from "express";

import { systemClock } from "../../app/lib/clock";
import { silentLogger } from "../../app/lib/logger";
import { createPagoEfectivoEmulator } from "../../app/sandbox/pagoefectivo/pagoefectivo-emulator";
import { freePort } from "../lib/app-env";

/**
 * `node --import tsx bench/pagoefectivo-emulator/run.ts [--cips 3000]`
 *
 * Creates CIPs one after another through the emulator's v1 HTTP API on 127.0.0.1 and prints the rate of
 * each block of 500: a store that rewrites its whole state on every change slows down as CIPs pile up, a
 * store with per-row writes does not. Bounded: at most 20,000 CIPs and two minutes.
 */
const argIndex = process.argv.indexOf("--cips");
const total = Math.min(20_000, argIndex > 0 ? Number(process.argv[argIndex + 1]) : 3_000);
const BLOCK = 500;
const DEADLINE = performance.now() + 120_000;

const lima = (at: Date) => `${new Date(at.getTime() - 5 * 3600_000).toISOString().slice(0, 19)}-05:00`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "pe-emulator-bench-"));
  let baseUrl = "";
  const emulator = await createPagoEfectivoEmulator({ dataDir, clock: systemClock, logger: silentLogger, publicUrl: () => baseUrl });
  const app = express();
  app.use("/pe", emulator.router);
  const server = http.createServer(app);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pe`;
  const service = { idService: 2032, accessKey: "BENCHACCESSKEY000001", secretKey: "bench-secret" };
  await emulator.registerService({ ...service, notificationUrl: null });

  const dateRequest = lima(new Date());
  const auth = await fetch(`${baseUrl}/v1/authorizations`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      ...service,
      secretKey: undefined,
      dateRequest,
      hashString: createHash("sha256").update(`${service.idService}.${service.accessKey}.${service.secretKey}.${dateRequest}`).digest("hex"),
    }),
  });
  const token = ((await auth.json()) as { data: { token: string } }).data.token;
  const expiry = lima(new Date(Date.now() + 86_400_000));

  console.log(`PagoEfectivo emulator: ${total} CIPs created one by one (rate per block of ${BLOCK})`);
  let blockStart = performance.now();
  const started = blockStart;
  for (let i = 1; i <= total; i++) {
    const res = await fetch(`${baseUrl}/v1/cips`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, Origin: "web" },
      body: `{"currency":"PEN","amount":150.00,"transactionCode":"bench-${i}","dateExpiry":"${expiry}","userEmail":"a@b.pe","userPhone":"987654321","userCodeCountry":"+51"}`,
    });
    if (res.status !== 201) throw new Error(`CIP ${i}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    if (i % BLOCK === 0) {
      const now = performance.now();
      console.log(`  CIPs ${i - BLOCK + 1}-${i}: ${Math.round((BLOCK * 1000) / (now - blockStart))} CIPs/s`);
      blockStart = now;
    }
    if (performance.now() > DEADLINE) {
      console.log(`  stopped at ${i} CIPs: two-minute budget`);
      break;
    }
  }
  console.log(`  overall: ${Math.round((total * 1000) / (performance.now() - started))} CIPs/s`);
  await emulator.close();
  server.closeAllConnections();
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

void main();
