import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PagoEfectivoClient } from "../../../app/adapters/pagoefectivo/pagoefectivo-client";
import { verifyNotificationSignature } from "../../../app/adapters/pagoefectivo/pagoefectivo-signature";
import { parsePagoEfectivoNotification } from "../../../app/contracts/pagoefectivo/notification";
import { AdjustableClock } from "../../../app/lib/clock";
import { silentLogger } from "../../../app/lib/logger";
import type { PagoEfectivoCredentials } from "../../../app/ports/pagoefectivo-gateway";
import { createPagoEfectivoEmulator, type PagoEfectivoEmulator } from "../../../app/sandbox/pagoefectivo/pagoefectivo-emulator";

/** The same client code that talks to PagoEfectivo, against the emulator: both sides of the v1 contract. */
describe("PagoEfectivo client against the emulator", () => {
  const clock = new AdjustableClock();
  const dataDir = mkdtempSync(path.join(tmpdir(), "pe-contract-"));
  let emulator: PagoEfectivoEmulator;
  let server: http.Server;
  let receiver: http.Server;
  let base = "";
  const received: Array<{ body: Buffer; signature: string | undefined }> = [];
  let creds: PagoEfectivoCredentials;
  const client = new PagoEfectivoClient({ clock, logger: silentLogger, timeoutMs: 1500 });

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks), signature: req.headers["pe-signature"] as string | undefined });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const app = express();
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/pagoefectivo`;
    emulator = await createPagoEfectivoEmulator({ dataDir, clock, logger: silentLogger, publicUrl: () => base, notificationRetryDelayMs: 50 });
    app.use("/sandbox/pagoefectivo", emulator.router);
    creds = { accessKey: "ACCESSKEY0001", secretKey: "s3cr3t-key", idService: 1234, baseUrl: base };
    await emulator.registerService({
      idService: 1234,
      accessKey: creds.accessKey,
      secretKey: creds.secretKey,
      notificationUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`,
    });
  });

  afterAll(async () => {
    await emulator.close();
    await new Promise((r) => server.close(r));
    await new Promise((r) => receiver.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const request = (amountMinor = 15000) => ({
    amount: { amountMinor, currency: "PEN" as const },
    transactionCode: `tx-${Math.random().toString(36).slice(2, 10)}`,
    dateExpiry: new Date(clock.now().getTime() + 48 * 3600_000),
    userEmail: "ana@example.pe",
    userName: "Ana",
    userLastName: "Quispe",
    userPhone: "987654321",
    userCodeCountry: "+51",
    paymentConcept: "Pedido #1001",
  });

  it("authorizes with the SHA-256 hash and issues, finds, extends and deletes a CIP", async () => {
    const auth = await client.authorize(creds);
    expect(auth.ok).toBe(true);
    const created = await client.createCip(creds, request());
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.amount).toEqual({ amountMinor: 15000, currency: "PEN" });
    expect(created.value.cip).toMatch(/^\d+$/);
    expect(created.value.cipUrl).toContain(base);

    const found = await client.searchCips(creds, [created.value.cip]);
    expect(found.ok && found.value[0]?.status).toBe("pending");

    const later = new Date(clock.now().getTime() + 60 * 3600_000);
    const extended = await client.updateCipExpiry(creds, created.value.cip, later);
    expect(extended.ok).toBe(true);
    const deleted = await client.deleteCip(creds, created.value.cip);
    expect(deleted.ok).toBe(true);
    const after = await client.searchCips(creds, [created.value.cip]);
    expect(after.ok && after.value[0]?.status).toBe("deleted");
  });

  it("maps the emulator's refusals to typed errors", async () => {
    const wrong = await client.authorize({ ...creds, secretKey: "wrong" });
    expect(!wrong.ok && wrong.error.kind).toBe("service_error");
    const tooMuch = await client.createCip(creds, request(40_000_000));
    expect(!tooMuch.ok && tooMuch.error.kind).toBe("amount_over_limit");
    await fetch(`${base}/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind: "error5xx", count: 1, paths: ["search"] }) });
    const down = await client.searchCips(creds, ["1"]);
    expect(!down.ok && down.error.kind).toBe("server_error");
    await fetch(`${base}/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind: "timeout", count: 1, paths: ["cips"] }) });
    const lost = await client.createCip(creds, request());
    expect(!lost.ok && lost.error.kind).toBe("ambiguous");
    await fetch(`${base}/faults`, { method: "DELETE" });
  });

  it("sends notifications the app's verifier and parser accept, amount 150.00 intact", async () => {
    const created = await client.createCip(creds, request());
    if (!created.ok) throw new Error(created.error.message);
    received.length = 0;
    await fetch(`${base}/cips/${created.value.cip}/pay`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    await emulator.whenIdle();
    const [delivery] = received;
    expect(delivery).toBeDefined();
    if (!delivery) return;
    expect(delivery.body.toString()).toContain('"amount":150.00');
    expect(verifyNotificationSignature(delivery.body, delivery.signature, creds.secretKey)).toEqual({ valid: true });
    const parsed = parsePagoEfectivoNotification(delivery.body);
    expect(parsed.ok && parsed.value.type).toBe("cip.paid");
    if (parsed.ok && parsed.value.type === "cip.paid") {
      expect(parsed.value.cip).toBe(created.value.cip);
      expect(parsed.value.amount).toEqual({ amountMinor: 15000, currency: "PEN" });
    }
  });
});
