import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import { jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";

import { GroupCommit } from "../../../app/sandbox/pagoefectivo/emulator-group-commit";
import { signToken, TokenVerifier, verifyToken } from "../../../app/sandbox/pagoefectivo/emulator-jwt";
import { EmulatorStore } from "../../../app/sandbox/pagoefectivo/emulator-store";
import { prepareOperation } from "../../../app/sandbox/shopify/graphql-runner";
import { schemaFor } from "../../../app/sandbox/shopify/schema/versioned-schema";

const key = randomBytes(32);
const NOW_S = 1_750_000_000;

describe("emulator tokens", () => {
  it("signs an HS256 JWT that jose verifies, with the claims in jose's order", async () => {
    const token = signToken({ idService: 1234, iat: NOW_S, exp: NOW_S + 7200 }, key);
    const [header, payload] = token.split(".") as [string, string];
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    expect(Object.keys(JSON.parse(Buffer.from(payload, "base64url").toString()))).toEqual(["idService", "sub", "iat", "exp", "jti"]);
    const { payload: claims } = await jwtVerify(token, key, { currentDate: new Date(NOW_S * 1000) });
    expect(claims).toMatchObject({ idService: 1234, sub: "1234", iat: NOW_S, exp: NOW_S + 7200 });
  });

  it("remembers a verified token but still refuses it from the second its exp is reached, as jose does", async () => {
    const verifier = new TokenVerifier(key);
    const token = signToken({ idService: 7, iat: NOW_S, exp: NOW_S + 60 }, key);
    expect((await verifier.verify(token, NOW_S * 1000)).ok).toBe(true);
    expect((await verifier.verify(token, (NOW_S + 59) * 1000 + 999)).ok).toBe(true);
    for (const at of [(NOW_S + 60) * 1000, (NOW_S + 3600) * 1000]) {
      expect(await verifier.verify(token, at)).toEqual({ ok: false, error: { kind: "expired" } });
      expect(await verifyToken(token, key, at)).toEqual({ ok: false, error: { kind: "expired" } });
    }
  });

  it("checks a forged or foreign token in full every time, even after its genuine twin was remembered", async () => {
    const verifier = new TokenVerifier(key);
    const token = signToken({ idService: 7, iat: NOW_S, exp: NOW_S + 60 }, key);
    await verifier.verify(token, NOW_S * 1000);
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await verifier.verify(forged, NOW_S * 1000)).ok).toBe(false);
    const foreign = signToken({ idService: 7, iat: NOW_S, exp: NOW_S + 60 }, randomBytes(32));
    expect(await verifier.verify(foreign, NOW_S * 1000)).toEqual({ ok: false, error: { kind: "bad_signature" } });
    expect(await verifier.verify("not-a-jwt", NOW_S * 1000)).toEqual({ ok: false, error: { kind: "malformed" } });
  });
});

describe("emulator group commit", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pe-group-commit-"));
    dirs.push(dir);
    const file = path.join(dir, "x.sqlite");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
    return { db, file };
  };

  it("commits the writes of one turn together and settles each only once they are committed", async () => {
    const { db, file } = open();
    const commits = new GroupCommit(db);
    const insert = db.prepare<[string], { id: number }>("INSERT INTO t (v) VALUES (?) RETURNING id");
    const pending = ["a", "b", "c"].map((v) => commits.run(() => insert.get(v)?.id));
    // Nothing is written before the batch commits: another connection sees no row yet.
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 0 });
    const ids = await Promise.all(pending);
    expect(ids).toEqual([1, 2, 3]);
    expect(reader.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 3 });
    reader.close();
    db.close();
  });

  it("fails only the write that fails: the others of its batch are committed on their own", async () => {
    const { db } = open();
    const commits = new GroupCommit(db);
    const insert = db.prepare<[string]>("INSERT INTO t (v) VALUES (?)");
    const results = await Promise.allSettled(["a", "dup", "dup", "b"].map((v) => commits.run(() => insert.run(v))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(db.prepare("SELECT v FROM t ORDER BY id").all()).toEqual([{ v: "a" }, { v: "dup" }, { v: "b" }]);
    db.close();
  });

  it("commits what is queued when flushed on close", async () => {
    const { db } = open();
    const commits = new GroupCommit(db);
    const write = commits.run(() => db.prepare("INSERT INTO t (v) VALUES ('x')").run());
    commits.flush();
    await write;
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 1 });
    db.close();
  });
});

describe("emulator services in memory", () => {
  it("sees a service changed by this store at once, and one changed by another process on the same DATA_DIR", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pe-services-"));
    const a = EmulatorStore.open(dir);
    const b = EmulatorStore.open(dir);
    try {
      const service = { idService: 4242, accessKey: "AK4242", secretKey: "one", notificationUrl: null, codeService: "S", maxAmountMinor: 100 };
      expect(a.service(4242)).toBeUndefined();
      a.upsertService(service);
      expect(a.service(4242)?.secretKey).toBe("one");
      expect(b.service(4242)?.secretKey).toBe("one");
      b.upsertService({ ...service, secretKey: "two" });
      expect(b.service(4242)?.secretKey).toBe("two");
      expect(a.service(4242)?.secretKey).toBe("two");
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Shopify simulator GraphQL documents", () => {
  const schema = schemaFor("payments-apps", "2025-07");
  const query = "mutation R($id: ID!) { paymentSessionResolve(id: $id) { userErrors { field message } } }";

  it("reuses a validated document with each request's own variables", () => {
    const first = prepareOperation(schema, { query, variables: { id: "gid://shopify/PaymentSession/1" } });
    const second = prepareOperation(schema, { query, variables: { id: "gid://shopify/PaymentSession/2" } });
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.value.document).toBe(first.value.document);
    expect(second.value.variables).toEqual({ id: "gid://shopify/PaymentSession/2" });
    expect(second.value.rootFields).toEqual(["paymentSessionResolve"]);
  });

  it("still answers what a remembered document's variants ask: another operation name, an empty one, an invalid query", () => {
    expect(prepareOperation(schema, { query, operationName: null }).ok).toBe(true);
    expect(prepareOperation(schema, { query, operationName: "" })).toEqual({ ok: false, error: [{ message: "An operation name is required" }] });
    expect(prepareOperation(schema, { query, operationName: "Other" })).toEqual({ ok: false, error: [{ message: 'No operation named "Other"' }] });
    const invalid = "mutation R($id: ID!) { paymentSessionResolve(id: $id) { nope } }";
    expect(prepareOperation(schema, { query: invalid }).ok).toBe(false);
    expect(prepareOperation(schema, { query: invalid }).ok).toBe(false);
  });
});
