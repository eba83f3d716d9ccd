import { createHash } from "node:crypto";

import fc from "fast-check";
import { expect } from "vitest";

import type { TestApp } from "./test-app";

/**
 * Shared pieces of the property-based fuzz tests (test/security/fuzz-*.test.ts): hostile request bodies
 * and headers, a fingerprint of the app's business state, and the "clear refusal" check.
 *
 * Every property runs with a fixed seed (FUZZ_SEED overrides it), so a failure prints a seed and a path
 * that replays it exactly: `FUZZ_SEED=<seed> npx vitest run <file>`.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_204);

export function fuzzOptions(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true };
}

/** What a hostile client can put in a body: text, raw bytes, or a JSON value of the wrong shape. */
export type Body = { kind: "text"; text: string } | { kind: "bytes"; bytes: Uint8Array };

export function bodyBytes(body: Body): Buffer {
  return body.kind === "text" ? Buffer.from(body.text, "utf8") : Buffer.from(body.bytes);
}

const INVALID_UTF8 = [
  [0xff],
  [0xc3, 0x28],
  [0xe2, 0x82],
  [0xf0, 0x28, 0x8c, 0x28],
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8
  [0xc0, 0xaf], // an over-long "/"
];

const anyJson = fc.jsonValue({ maxDepth: 4 });

/** JSON-ish text that is not valid JSON: cut, doubled, with trailing garbage, comments, single quotes. */
const malformedJson = fc.oneof(
  fc.tuple(anyJson, fc.nat()).map(([v, n]) => {
    const s = JSON.stringify(v);
    return s.length > 1 ? s.slice(0, Math.max(1, n % s.length)) : "{";
  }),
  anyJson.map((v) => `${JSON.stringify(v)}}`),
  anyJson.map((v) => `${JSON.stringify(v)},${JSON.stringify(v)}`),
  fc.constantFrom("{", "}", "[", "{'id':'x'}", '{"a":}', '{"a":1,}', "/* c */ {}", "NaN", "undefined", '{"__proto__":', "\u0000", "{\"a\":\"\\u12\"}"),
  fc.string({ maxLength: 200 }),
);

/** A well-formed JSON document of the wrong shape: wrong types, prototype keys, huge numbers, deep nesting. */
export function wrongShapeJson(fieldNames: readonly string[]): fc.Arbitrary<string> {
  const hostileValue = fc.oneof(
    anyJson,
    fc.constantFrom(null, true, -1, 0, 1e308, -0, "", " ", "0", "NaN", "1e9999", "99999999999999999999.99", "1.005", "-1.00", "\u202e", "<script>", "' OR 1=1 --"),
    fc.string({ maxLength: 80 }),
  );
  const objectWithKnownKeys = fc.dictionary(fc.constantFrom(...fieldNames, "__proto__", "constructor"), hostileValue, { maxKeys: fieldNames.length + 2 });
  const deep = fc.nat({ max: 5_000 }).map((n) => `${"[".repeat(n + 500)}${"]".repeat(n + 500)}`);
  return fc.oneof(
    { arbitrary: objectWithKnownKeys.map((o) => JSON.stringify(o)), weight: 4 },
    { arbitrary: anyJson.map((v) => JSON.stringify(v)), weight: 2 },
    { arbitrary: deep, weight: 1 },
    { arbitrary: objectWithKnownKeys.map((o) => JSON.stringify(o).replace(/^\{/, '{"__proto__":{"admin":true},')), weight: 1 },
  );
}

/**
 * Hostile bodies: malformed JSON, wrong-shaped JSON, invalid UTF-8, a BOM, NUL bytes, odd whitespace,
 * form and XML payloads, and bodies past the route's size limit.
 * `valid` is a well-formed body for the route, used as the base of small mutations.
 */
export function hostileBody(options: { valid: string; fieldNames: readonly string[]; hugeBytes: number }): fc.Arbitrary<Body> {
  const text = (a: fc.Arbitrary<string>): fc.Arbitrary<Body> => a.map((t) => ({ kind: "text", text: t }));
  const bytes = (a: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Body> => a.map((b) => ({ kind: "bytes", bytes: b }));
  const valid = Buffer.from(options.valid, "utf8");
  return fc.oneof(
    text(malformedJson),
    text(wrongShapeJson(options.fieldNames)),
    text(fc.constantFrom("", " ", "\r\n", "a=1&b=2", "<xml/>", "null", "[]", "{}", "\"\"")),
    // BOM in front of the (otherwise valid) document: JSON.parse refuses it.
    text(fc.constant(`\uFEFF${options.valid}`)),
    // Invalid UTF-8 spliced into a valid document.
    bytes(
      fc.tuple(fc.nat({ max: valid.length }), fc.constantFrom(...INVALID_UTF8)).map(([at, bad]) => Uint8Array.from([...valid.subarray(0, at), ...bad, ...valid.subarray(at)])),
    ),
    // One byte of a valid document changed.
    bytes(fc.tuple(fc.nat({ max: Math.max(0, valid.length - 1) }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
      const copy = Uint8Array.from(valid);
      copy[at] = (copy[at] ?? 0) ^ x;
      return copy;
    })),
    bytes(fc.uint8Array({ maxLength: 300 })),
    // Past the route's limit (413), padded with spaces or inside a string.
    text(fc.constantFrom(" ", "x").map((pad) => (pad === " " ? options.valid + " ".repeat(options.hugeBytes) : JSON.stringify({ filler: "x".repeat(options.hugeBytes) })))),
  );
}

/** Content types a client may send (or none). */
export const hostileContentType = fc.option(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin1",
    "application/json; charset=utf-16",
    "APPLICATION/JSON",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/octet-stream",
    "*/*",
    "garbage",
    ";;;",
  ),
  { nil: undefined },
);

/** Whether `body` (already parsed, or text) is a clear refusal: a message a person can read. */
export function refusalMessage(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object") return null;
  // `{error:{code,message}}` (the app), `{code,message}` (PagoEfectivo's convention), `{error:"..."}` (the emulator's control API).
  const record = parsed as { message?: unknown; error?: { message?: unknown } | string };
  const message =
    typeof record.error === "string"
      ? record.error
      : typeof record.error?.message === "string"
        ? record.error.message
        : typeof record.message === "string"
          ? record.message
          : null;
  return message && message.trim().length > 0 ? message : null;
}

/** Asserts a 4xx answer with a readable JSON message (`{error:{message}}`, or PagoEfectivo's `{code,message}`). */
export function expectClearRefusal(label: string, status: number, text: string): void {
  expect(status, `${label}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(refusalMessage(text), `${label}: not a clear JSON message: ${text.slice(0, 300)}`).not.toBeNull();
}

/**
 * A fingerprint of everything a request could change in the app's business state. Rejected PagoEfectivo
 * notifications are left out on purpose: the app stores a bounded summary of each (issue #10,
 * test/security/rejected-notifications.test.ts); they are checked separately (never a verified row).
 * Run with WORKER_ENABLED=false and SCHEDULER_ENABLED=false so nothing moves in the background.
 */
export async function stateFingerprint(t: TestApp): Promise<string> {
  const p = t.app.db.prisma;
  const parts = await Promise.all([
    p.shop.findMany({ orderBy: { id: "asc" } }),
    p.pagoEfectivoCredential.findMany({ orderBy: { id: "asc" } }),
    p.paymentSession.findMany({ orderBy: { id: "asc" } }),
    p.paymentEvent.count(),
    p.outboxJob.findMany({ orderBy: { id: "asc" } }),
    p.deliveryAttempt.count(),
    p.refundSession.findMany({ orderBy: { id: "asc" } }),
    p.reconciliationException.findMany({ orderBy: { id: "asc" } }),
    p.shopifySession.findMany({ orderBy: { id: "asc" } }),
    p.shopifyWebhookDelivery.count(),
    p.settlementImport.count(),
    p.settlementLine.count(),
    p.feeScheduleEntry.count(),
    p.reconciliationRun.count(),
    p.pagoEfectivoNotification.count({ where: { signatureValid: true } }),
  ]);
  const json = JSON.stringify(parts, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v));
  return createHash("sha256").update(json).digest("hex");
}

/** Raw request on the app's plain HTTP listener, bytes in and out, with headers given as a list (duplicates allowed). */
export async function rawRequest(
  t: TestApp,
  method: string,
  path: string,
  options: { headers?: [string, string][]; body?: Buffer } = {},
): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  const http = await import("node:http");
  const target = new URL(t.url);
  return new Promise((resolve, reject) => {
    // A list keeps duplicates; Node then adds no Host header of its own.
    const headers: string[] = ["Host", target.host];
    for (const [name, value] of options.headers ?? []) headers.push(name, value);
    if (options.body) headers.push("Content-Length", String(options.body.length));
    const request = http.request({ host: target.hostname, port: target.port, method, path, headers, timeout: 15_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: response.headers }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`timeout: ${method} ${path}`)));
    request.on("error", reject);
    request.end(options.body);
  });
}
