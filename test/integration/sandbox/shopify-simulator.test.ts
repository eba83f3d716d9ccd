import "@shopify/shopify-api/adapters/node";

import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AdjustableClock } from "../../../app/lib/clock";
import { createCertificateAuthority, issueCertificate, loadOrCreateServerTls } from "../../../app/sandbox/certificates";
import { SimulatorStore } from "../../../app/sandbox/shopify/simulator-store";
import {
  type FakeApp,
  getJson,
  postJson,
  type RunningSimulator,
  startFakeApp,
  startSimulatorServer,
  startWebhookSink,
  type WebhookSink,
} from "../../helpers/shopify-simulator-harness";

const SHOP = "pagoefectivo-demo.myshopify.com";
const API_KEY = "sandbox-api-key";
const API_SECRET = "sandbox-api-secret";

interface CheckoutAnswer {
  id: string;
  gid: string;
  status: number | null;
  redirect_url: string | null;
  response: unknown;
  requestId: string;
  problems: string[];
}

interface SessionView {
  state: string;
  orderId: string | null;
  nextAction?: { action: string; context: { redirectUrl: string } };
  mutations: { name: string; result: string; replayed?: boolean; fault?: string; applied?: boolean; userErrors?: { message: string }[]; warnings?: string[] }[];
}

const PENDING = `mutation PaymentSessionPending($id: ID!, $pendingExpiresAt: DateTime!, $reason: PaymentSessionStatePendingReason!) {
  paymentSessionPending(id: $id, pendingExpiresAt: $pendingExpiresAt, reason: $reason) {
    paymentSession {
      id
      state { __typename ... on PaymentSessionStatePending { code reason } }
      nextAction { action context { ... on PaymentSessionActionsRedirect { redirectUrl } } }
      pendingExpiresAt
    }
    userErrors { field message }
  }
}`;

const RESOLVE = `mutation PaymentSessionResolve($id: ID!) {
  paymentSessionResolve(id: $id) {
    paymentSession { id state { ... on PaymentSessionStateResolved { code } } nextAction { action context { ... on PaymentSessionActionsRedirect { redirectUrl } } } }
    userErrors { field message }
  }
}`;

const CONFIGURE = `mutation Configure($externalHandle: String, $ready: Boolean!) {
  paymentsAppConfigure(externalHandle: $externalHandle, ready: $ready) { paymentsAppConfiguration { externalHandle ready } userErrors { field message } }
}`;

const REJECT = `mutation PaymentSessionReject($id: ID!, $reason: PaymentSessionRejectionReasonInput!) {
  paymentSessionReject(id: $id, reason: $reason) {
    paymentSession { id state { ... on PaymentSessionStateRejected { code reason merchantMessage } } nextAction { action context { ... on PaymentSessionActionsRedirect { redirectUrl } } } }
    userErrors { field message }
  }
}`;

describe("Shopify simulator", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "shopify-simulator-"));
  const clock = new AdjustableClock();
  let running: RunningSimulator;
  let fakeApp: FakeApp;
  let sink: WebhookSink;
  let token: string;
  let base: string;

  const paymentsGraphql = (query: string, variables: Record<string, unknown> = {}, accessToken = token, version = "2025-10") =>
    postJson(`${base}/shops/${SHOP}/payments_apps/api/${version}/graphql.json`, { query, variables }, { "X-Shopify-Access-Token": accessToken });
  const adminGraphql = (query: string, variables: Record<string, unknown> = {}) =>
    postJson(`${base}/shops/${SHOP}/admin/api/2025-10/graphql.json`, { query, variables }, { "X-Shopify-Access-Token": token });
  const checkout = async (body: Record<string, unknown> = { amount: "150.00", currency: "PEN" }) => {
    const answer = await postJson(`${base}/checkouts`, body);
    return answer as { status: number; json: CheckoutAnswer };
  };
  const session = async (id: string) => (await getJson(`${base}/payment-sessions/${id}`)).json as SessionView;
  const inThreeDays = () => new Date(clock.now().getTime() + 2 * 24 * 3600 * 1000).toISOString();

  beforeAll(async () => {
    running = await startSimulatorServer({ dataDir, clock, faultTimeoutMs: 300 });
    base = running.baseUrl;
    const tls = loadOrCreateServerTls(join(dataDir, "app-tls"));
    fakeApp = await startFakeApp(tls, running.simulator.paymentsPlatformCaPem);
    sink = await startWebhookSink();
    const registered = await fetch(`${base}/app`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        paymentSessionUrl: `${fakeApp.url}/payment_session`,
        refundSessionUrl: `${fakeApp.url}/refund_session`,
        serverCaPem: tls.caPem,
        webhookUrls: {
          ordersCancelled: `${sink.url}/webhooks/orders-cancelled`,
          appUninstalled: `${sink.url}/webhooks/app-uninstalled`,
          customersDataRequest: `${sink.url}/webhooks/compliance`,
          customersRedact: `${sink.url}/webhooks/compliance`,
          shopRedact: `${sink.url}/webhooks/compliance`,
        },
      }),
    });
    expect(registered.status).toBe(200);
    token = (await running.simulator.installShop(SHOP)).accessToken;
    // Shopify offers a payments app at checkout only after paymentsAppConfigure(ready: true) (docs/contracts.md).
    const early = await checkout();
    expect(early.status).toBe(409);
    expect((early.json as unknown as { error: string }).error).toContain("paymentsAppConfigure(ready: true)");
    const configured = await paymentsGraphql(CONFIGURE, { externalHandle: "pagoefectivo-10001", ready: true });
    expect(configured.status).toBe(200);
  });

  afterAll(async () => {
    await running?.close();
    await fakeApp?.close();
    await sink?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe("payment session requests", () => {
    it("POSTs the payment session over mTLS with Shopify's headers and body, and reports the app's answer", async () => {
      const { status, json } = await checkout({ amount: "150.00", currency: "PEN" });
      expect(status).toBe(200);
      expect(json.status).toBe(201);
      expect(json.redirect_url).toBe(`${fakeApp.url}/pay/${json.id}`);
      expect(json.problems).toEqual([]);

      const request = fakeApp.requests.at(-1)!;
      expect(request.method).toBe("POST");
      expect(request.path).toBe("/payment_session");
      expect(request.authorized).toBe(true);
      expect(request.clientCommonName).toBe("payments-platform.shopify.sandbox");
      expect(request.headers["shopify-shop-domain"]).toBe(SHOP);
      expect(request.headers["shopify-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(request.headers["shopify-request-id"]).toBe(json.requestId);
      expect(request.headers["shopify-api-version"]).toBe("2025-10");
      expect(request.headers["content-type"]).toBe("application/json");

      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual([
        "id",
        "gid",
        "group",
        "session_id",
        "amount",
        "currency",
        "test",
        "merchant_locale",
        "payment_method",
        "proposed_at",
        "customer",
        "kind",
      ]);
      expect(body.id).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(body.id).toBe(json.id);
      expect(body.gid).toBe(`gid://shopify/PaymentSession/${json.id}`);
      expect(body.group).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(body.session_id).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(body).toMatchObject({ amount: "150.00", currency: "PEN", test: false, merchant_locale: "es", kind: "sale" });
      expect(body.proposed_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(body.payment_method).toEqual({ type: "offsite", data: { cancel_url: `${base}/shops/${SHOP}/checkouts/${json.id}` } });
      expect(body.customer).toMatchObject({
        email: expect.stringContaining("@") as unknown,
        phone_number: "987654321",
        locale: "es",
        billing_address: { city: "Lima", country_code: "PE", given_name: expect.any(String) as unknown, family_name: expect.any(String) as unknown },
        shipping_address: { city: "Lima" },
      });
    });

    it("sends customer null, a customer without phone, USD, test mode and authorization as asked", async () => {
      await checkout({ amount: "10.5", currency: "USD", test: true, kind: "authorization", customer: null, locale: "en" });
      const first = JSON.parse(fakeApp.requests.at(-1)!.body) as Record<string, unknown>;
      expect(first).toMatchObject({ amount: "10.50", currency: "USD", test: true, kind: "authorization", customer: null });

      await checkout({ amount: "20.00", customer: { email: "sin.telefono@example.pe", locale: "es-PE" } });
      const second = JSON.parse(fakeApp.requests.at(-1)!.body) as { customer: Record<string, unknown> };
      expect(second.customer).toEqual({ email: "sin.telefono@example.pe", locale: "es-PE" });
    });

    it("rejects bad checkout input with a clear 400", async () => {
      const { status, json } = await postJson(`${base}/checkouts`, { amount: 150 });
      expect(status).toBe(400);
      expect((json as { error: string }).error).toMatch(/amount/);
      const negative = await postJson(`${base}/checkouts`, { amount: "0.00" });
      expect(negative.status).toBe(400);
    });

    it("resends the identical body with a new Shopify-Request-Id", async () => {
      const { json } = await checkout();
      const original = fakeApp.requests.at(-1)!;
      const resent = await postJson(`${base}/checkouts/${json.id}/resend`, {});
      expect(resent.status).toBe(200);
      expect((resent.json as CheckoutAnswer).redirect_url).toBe(json.redirect_url);
      const again = fakeApp.requests.at(-1)!;
      expect(again.body).toBe(original.body);
      expect(again.headers["shopify-request-id"]).not.toBe(original.headers["shopify-request-id"]);
      const view = (await getJson(`${base}/payment-sessions/${json.id}`)).json as { deliveries: unknown[] };
      expect(view.deliveries).toHaveLength(2);
    });

    it("is really mutual TLS: the app refuses clients without a Payments Platform certificate", async () => {
      const tls = loadOrCreateServerTls(join(dataDir, "app-tls"));
      const attempt = (options: https.RequestOptions) =>
        new Promise<number>((resolve, reject) => {
          const req = https.request(`${fakeApp.url}/payment_session`, { method: "POST", ca: tls.caPem, ...options }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on("error", reject);
          req.end("{}");
        });
      const before = fakeApp.requests.length;
      await expect(attempt({})).rejects.toThrow();
      const otherCa = createCertificateAuthority("Impostor CA");
      const impostor = issueCertificate(otherCa, { commonName: "impostor", kind: "client" });
      await expect(attempt({ cert: impostor.certPem, key: impostor.keyPem })).rejects.toThrow();
      expect(fakeApp.requests.length).toBe(before);
    });

    it("runs a buyer checkout from the storefront form and redirects to the app", async () => {
      const response = await fetch(`${base}/shops/${SHOP}/storefront`, {
        method: "POST",
        body: new URLSearchParams({ amount: "75.90", currency: "PEN", email: "comprador@example.pe", locale: "es" }),
        redirect: "manual",
      });
      expect(response.status).toBe(303);
      const body = JSON.parse(fakeApp.requests.at(-1)!.body) as { id: string; amount: string };
      expect(body.amount).toBe("75.90");
      expect(response.headers.get("location")).toBe(`${fakeApp.url}/pay/${body.id}`);
      const cancelPage = await fetch(`${base}/shops/${SHOP}/checkouts/${body.id}`);
      expect(await cancelPage.text()).toContain("not completed");
      const ca = await fetch(`${base}/payments-platform-ca.pem`);
      expect(await ca.text()).toBe(running.simulator.paymentsPlatformCaPem);
    });

    it("reports non-2xx answers", async () => {
      fakeApp.respondWith(() => ({ status: 500, body: "boom" }));
      try {
        const { status, json } = await checkout();
        expect(status).toBe(200);
        expect(json.status).toBe(500);
        expect(json.redirect_url).toBeNull();
        expect(json.response).toBe("boom");
        expect(json.problems.join(" ")).toMatch(/HTTP 500/);
      } finally {
        fakeApp.respondWith(null);
      }
    });
  });

  describe("Payments Apps GraphQL", () => {
    it("marks a session pending, creates a pending order, and replays repeats", async () => {
      const { json } = await checkout();
      const expiresAt = inThreeDays();
      const first = await paymentsGraphql(PENDING, { id: json.gid, pendingExpiresAt: expiresAt, reason: "BUYER_ACTION_REQUIRED" });
      expect(first.status).toBe(200);
      expect(first.json).toEqual({
        data: {
          paymentSessionPending: {
            paymentSession: {
              id: json.gid,
              state: { __typename: "PaymentSessionStatePending", code: "PENDING", reason: "BUYER_ACTION_REQUIRED" },
              nextAction: { action: "REDIRECT", context: { redirectUrl: `${base}/shops/${SHOP}/checkouts/${json.id}/thank-you` } },
              pendingExpiresAt: expiresAt,
            },
            userErrors: [],
          },
        },
      });
      const repeat = await paymentsGraphql(PENDING, { id: json.gid, pendingExpiresAt: inThreeDays(), reason: "PARTNER_ACTION_REQUIRED" });
      expect(repeat.json).toEqual(first.json);

      const view = await session(json.id);
      expect(view.state).toBe("pending");
      expect(view.mutations.map((m) => [m.name, m.result, m.replayed ?? false])).toEqual([
        ["paymentSessionPending", "ok", false],
        ["paymentSessionPending", "ok", true],
      ]);
      const order = (await getJson(`${base}/orders/${encodeURIComponent(view.orderId!)}`)).json as { financialStatus: string; name: string };
      expect(order.financialStatus).toBe("pending");
      expect(order.name).toMatch(/^#10\d\d$/);
    });

    it("resolves once, refuses a later reject, and records every call in order", async () => {
      const { json } = await checkout();
      await paymentsGraphql(PENDING, { id: json.gid, pendingExpiresAt: inThreeDays(), reason: "BUYER_ACTION_REQUIRED" });
      const resolved = await paymentsGraphql(RESOLVE, { id: json.gid });
      expect(resolved.json).toEqual({
        data: {
          paymentSessionResolve: {
            paymentSession: {
              id: json.gid,
              state: { code: "RESOLVED" },
              nextAction: { action: "REDIRECT", context: { redirectUrl: `${base}/shops/${SHOP}/checkouts/${json.id}/thank-you` } },
            },
            userErrors: [],
          },
        },
      });
      const rejected = await paymentsGraphql(REJECT, { id: json.gid, reason: { code: "PROCESSING_ERROR", merchantMessage: "CIP expirado" } });
      expect((rejected.json as { data: { paymentSessionReject: { userErrors: unknown[] } } }).data.paymentSessionReject.userErrors).toEqual([
        { field: ["id"], message: "Cannot reject a resolved payment session" },
      ]);
      const again = await paymentsGraphql(RESOLVE, { id: json.gid });
      expect(again.json).toEqual(resolved.json);

      const view = await session(json.id);
      expect(view.state).toBe("resolved");
      expect(view.mutations.map((m) => `${m.name}:${m.result}`)).toEqual([
        "paymentSessionPending:ok",
        "paymentSessionResolve:ok",
        "paymentSessionReject:user_error",
        "paymentSessionResolve:ok",
      ]);
      const order = (await getJson(`${base}/orders/${encodeURIComponent(view.orderId!)}`)).json as { financialStatus: string; paymentSessionId: string };
      expect(order).toMatchObject({ financialStatus: "paid", paymentSessionId: json.id });

      const thankYou = await fetch(`${base}/shops/${SHOP}/checkouts/${json.id}/thank-you`);
      const html = await thankYou.text();
      expect(html).toContain("paid");
      expect(html).toMatch(/#10\d\d/);
    });

    it("rejects to the cancel_url, creates no order without pending, and refuses a later resolve", async () => {
      const { json } = await checkout();
      const rejected = await paymentsGraphql(REJECT, { id: json.gid, reason: { code: "CANCELLED_PAYMENT", merchantMessage: "Buyer gave up" } }, token, "2026-04");
      const payload = (rejected.json as { data: { paymentSessionReject: { paymentSession: { state: unknown; nextAction: { context: { redirectUrl: string } } } } } }).data
        .paymentSessionReject;
      expect(payload.paymentSession.state).toEqual({ code: "REJECTED", reason: "CANCELLED_PAYMENT", merchantMessage: "Buyer gave up" });
      expect(payload.paymentSession.nextAction.context.redirectUrl).toBe(`${base}/shops/${SHOP}/checkouts/${json.id}`);
      const resolve = await paymentsGraphql(RESOLVE, { id: json.gid });
      expect(JSON.stringify(resolve.json)).toContain("Cannot resolve a rejected payment session");
      const view = await session(json.id);
      expect(view.orderId).toBeNull();
    });

    it("voids the pending order when a pending session is rejected", async () => {
      const { json } = await checkout();
      await paymentsGraphql(PENDING, { id: json.gid, pendingExpiresAt: inThreeDays(), reason: "BUYER_ACTION_REQUIRED" });
      await paymentsGraphql(REJECT, { id: json.gid, reason: { code: "PROCESSING_ERROR" } });
      const view = await session(json.id);
      const order = (await getJson(`${base}/orders/${encodeURIComponent(view.orderId!)}`)).json as { financialStatus: string; cancelledAt: string | null };
      expect(order.financialStatus).toBe("voided");
      expect(order.cancelledAt).not.toBeNull();
    });

    it("accepts literal arguments, aliases and named fragments", async () => {
      const { json } = await checkout();
      const query = `
        mutation {
          pend: paymentSessionPending(id: "${json.gid}", pendingExpiresAt: "${inThreeDays()}", reason: BUYER_ACTION_REQUIRED) {
            paymentSession { ...Session }
            errors: userErrors { message }
          }
        }
        fragment Session on PaymentSession { sessionId: id state { ... on PaymentSessionState { code } } }`;
      const result = await paymentsGraphql(query);
      expect(result.json).toEqual({ data: { pend: { paymentSession: { sessionId: json.gid, state: { code: "PENDING" } }, errors: [] } } });
    });

    it("refuses a pendingExpiresAt in the past or beyond the 3-day limit with the documented codes", async () => {
      const { json } = await checkout();
      const pendingWithCode = `mutation P($id: ID!, $at: DateTime!) {
        paymentSessionPending(id: $id, pendingExpiresAt: $at, reason: BUYER_ACTION_REQUIRED) {
          paymentSession { state { __typename } } userErrors { code field message } } }`;
      const past = new Date(clock.now().getTime() - 60_000).toISOString();
      const expired = await paymentsGraphql(pendingWithCode, { id: json.gid, at: past });
      expect((expired.json as { data: { paymentSessionPending: { userErrors: unknown[] } } }).data.paymentSessionPending.userErrors).toEqual([
        { code: "EXPIRED_PENDING_EXPIRES_AT", field: ["pendingExpiresAt"], message: "Pending expiry date can't be a time in the past." },
      ]);
      const farAway = new Date(clock.now().getTime() + 3 * 24 * 3600 * 1000 + 60_000).toISOString();
      const outOfRange = await paymentsGraphql(pendingWithCode, { id: json.gid, at: farAway });
      expect((outOfRange.json as { data: { paymentSessionPending: { userErrors: { code: string }[] } } }).data.paymentSessionPending.userErrors[0]?.code).toBe(
        "OUT_OF_RANGE_PENDING_EXPIRES_AT",
      );
      expect((await session(json.id)).state).toBe("initial");
      const notADate = await paymentsGraphql(pendingWithCode, { id: json.gid, at: "tomorrow" });
      expect(JSON.stringify(notADate.json)).toContain("Variable $at of type DateTime! was provided invalid value");
    });

    it("gates enum values and fields by API version, as each version's reference lists them", async () => {
      const { json } = await checkout();
      // CANCELLED_PAYMENT arrives in 2026-04 (changelog "New rejection reason codes in Payments Apps API").
      const old = await paymentsGraphql(REJECT, { id: json.gid, reason: { code: "CANCELLED_PAYMENT" } }, token, "2025-10");
      const oldErrors = (old.json as { errors: { message: string; extensions: { code: string } }[]; data?: unknown }).errors;
      expect(oldErrors[0]?.message).toBe("Variable $reason of type PaymentSessionRejectionReasonInput! was provided invalid value for code");
      expect(oldErrors[0]?.extensions.code).toBe("INVALID_VARIABLE");
      expect((old.json as { data?: unknown }).data).toBeUndefined();
      for (const code of ["AMOUNT_TOO_SMALL", "AMOUNT_TOO_LARGE"]) {
        const refused = await paymentsGraphql(REJECT, { id: json.gid, reason: { code } }, token, "2026-01");
        expect((refused.json as { errors?: unknown[] }).errors).toHaveLength(1);
      }
      // `source` on the reason input exists from 2026-04 too.
      const withSource = await paymentsGraphql(REJECT, { id: json.gid, reason: { code: "PROCESSING_ERROR", source: "PROVIDER" } }, token, "2025-10");
      expect(JSON.stringify(withSource.json)).toContain("INVALID_VARIABLE");
      // MERCHANT_ACTION_REQUIRED: absent in 2025-04, listed from 2025-07.
      const merchant = await paymentsGraphql(PENDING, { id: json.gid, pendingExpiresAt: inThreeDays(), reason: "MERCHANT_ACTION_REQUIRED" }, token, "2025-04");
      expect(JSON.stringify(merchant.json)).toContain("Variable $reason of type PaymentSessionStatePendingReason! was provided invalid value");
      expect((await session(json.id)).mutations).toEqual([]);

      const accepted = await paymentsGraphql(REJECT, { id: json.gid, reason: { code: "AMOUNT_TOO_LARGE", source: "PROVIDER" } }, token, "2026-07");
      expect((accepted.json as { data: { paymentSessionReject: { userErrors: unknown[] } } }).data.paymentSessionReject.userErrors).toEqual([]);
      const sourceField = await paymentsGraphql(
        `mutation R($id: ID!, $reason: PaymentSessionRejectionReasonInput!) { paymentSessionReject(id: $id, reason: $reason) { paymentSession { state { ... on PaymentSessionStateRejected { source } } } } }`,
        { id: json.gid, reason: { code: "AMOUNT_TOO_LARGE", source: "PROVIDER" } },
        token,
        "2025-10",
      );
      expect(JSON.stringify(sourceField.json)).toContain("Field 'source' doesn't exist on type 'PaymentSessionStateRejected'");
    });

    it("has no pending state for refund sessions and no invented fields", async () => {
      const pendingRefund = await paymentsGraphql(
        `mutation { refundSessionResolve(id: "gid://shopify/RefundSession/x") { refundSession { state { ... on RefundSessionStatePending { code } } } userErrors { field message } } }`,
      );
      expect(JSON.stringify(pendingRefund.json)).toContain("RefundSessionStatePending");
      expect((pendingRefund.json as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
      const codeOnUserError = await paymentsGraphql(`mutation { paymentSessionResolve(id: "gid://shopify/PaymentSession/x") { userErrors { code } } }`);
      expect(JSON.stringify(codeOnUserError.json)).toContain("Field 'code' doesn't exist on type 'UserError'");
    });

    it("answers unknown sessions with a userError and malformed ids or enums with GraphQL errors", async () => {
      const missing = await paymentsGraphql(RESOLVE, { id: "gid://shopify/PaymentSession/doesNotExist0000000000000" });
      expect(missing.json).toEqual({
        data: { paymentSessionResolve: { paymentSession: null, userErrors: [{ field: ["id"], message: "Payment session not found" }] } },
      });
      const notGid = await paymentsGraphql(RESOLVE, { id: "abc" });
      expect((notGid.json as { errors: { message: string }[] }).errors[0]?.message).toMatch(/Invalid global id/);

      const { json } = await checkout();
      const badEnum = await paymentsGraphql(REJECT, { id: json.gid, reason: { code: "NOT_A_REASON" } });
      expect((badEnum.json as { errors: unknown[] }).errors).toHaveLength(1);
      const view = await session(json.id);
      expect(view.state).toBe("initial");
      // Refused while coercing variables: nothing ran, nothing is recorded on the session.
      expect(view.mutations).toEqual([]);

      const missingVariable = await paymentsGraphql(RESOLVE, {});
      expect(JSON.stringify(missingVariable.json)).toContain("Variable $id of type ID! was provided invalid value");
      const unknownField = await paymentsGraphql("mutation { paymentSessionTeleport(id: \"x\") { userErrors { message } } }");
      expect(JSON.stringify(unknownField.json)).toContain("Field 'paymentSessionTeleport' doesn't exist on type 'Mutation'");
      const syntax = await paymentsGraphql("mutation { paymentSessionResolve(id: ");
      expect(JSON.stringify(syntax.json)).toContain("syntax error");
    });

    it("answers 401 to a missing or wrong access token", async () => {
      const wrong = await paymentsGraphql(RESOLVE, { id: "gid://shopify/PaymentSession/x" }, "shpat_wrong");
      expect(wrong).toEqual({ status: 401, json: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } });
      const response = await fetch(`${base}/shops/${SHOP}/payments_apps/api/2025-10/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query: RESOLVE }),
      });
      expect(response.status).toBe(401);
    });

    it("configures the payments app on the shop, and offers it at checkout only while it is ready", async () => {
      const notReady = await paymentsGraphql(CONFIGURE, { externalHandle: "pagoefectivo-10001", ready: false });
      expect(notReady.json).toEqual({
        data: { paymentsAppConfigure: { paymentsAppConfiguration: { externalHandle: "pagoefectivo-10001", ready: false }, userErrors: [] } },
      });
      const refused = await checkout();
      expect(refused.status).toBe(409);
      const sessionsBefore = ((await getJson(`${base}/payment-sessions`)).json as { paymentSessions: unknown[] }).paymentSessions.length;

      const result = await paymentsGraphql(CONFIGURE, { externalHandle: "pagoefectivo-10001", ready: true });
      expect(result.json).toEqual({
        data: { paymentsAppConfigure: { paymentsAppConfiguration: { externalHandle: "pagoefectivo-10001", ready: true }, userErrors: [] } },
      });
      const shops = (await getJson(`${base}/shops`)).json as { shops: { shop: string; paymentsAppConfiguration: { ready: boolean } | null }[] };
      expect(shops.shops.find((shop) => shop.shop === SHOP)?.paymentsAppConfiguration?.ready).toBe(true);
      expect((await checkout()).status).toBe(200);
      expect(((await getJson(`${base}/payment-sessions`)).json as { paymentSessions: unknown[] }).paymentSessions.length).toBe(sessionsBefore + 1);
    });

  });

  describe("fault injection", () => {
    it("fails the next call with a 500, then recovers", async () => {
      const { json } = await checkout();
      expect((await postJson(`${base}/faults`, { kind: "error500", count: 1 })).status).toBe(201);
      const faulted = await paymentsGraphql(RESOLVE, { id: json.gid });
      expect(faulted.status).toBe(500);
      const ok = await paymentsGraphql(RESOLVE, { id: json.gid });
      expect(ok.status).toBe(200);
      const view = await session(json.id);
      expect(view.mutations.map((m) => [m.result, m.fault ?? null, m.applied ?? null])).toEqual([
        ["fault", "error500", false],
        ["ok", null, null],
      ]);
    });

    it("throttles with HTTP 200 and a THROTTLED error", async () => {
      const { json } = await checkout();
      await postJson(`${base}/faults`, { kind: "throttled", count: 2 });
      for (let i = 0; i < 2; i += 1) {
        const throttled = await paymentsGraphql(RESOLVE, { id: json.gid });
        expect(throttled.status).toBe(200);
        expect((throttled.json as { errors: { message: string; extensions: { code: string } }[] }).errors[0]).toMatchObject({
          message: "Throttled",
          extensions: { code: "THROTTLED" },
        });
      }
      expect((await paymentsGraphql(RESOLVE, { id: json.gid })).status).toBe(200);
      expect((await session(json.id)).mutations.map((m) => m.result)).toEqual(["fault", "fault", "ok"]);
    });

    it("holds a timed-out call without answering and drops it after the hold", async () => {
      const { json } = await checkout();
      await postJson(`${base}/faults`, { kind: "timeout", count: 1 });
      const started = Date.now();
      await expect(paymentsGraphql(RESOLVE, { id: json.gid })).rejects.toThrow();
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect((await session(json.id)).state).toBe("initial");

      await postJson(`${base}/faults`, { kind: "timeout", count: 1, apply: true });
      await expect(paymentsGraphql(RESOLVE, { id: json.gid })).rejects.toThrow();
      const view = await session(json.id);
      expect(view.state).toBe("resolved");
      expect(view.mutations.map((m) => [m.result, m.applied])).toEqual([
        ["fault", false],
        ["fault", true],
      ]);
      const faults = await fetch(`${base}/faults`, { method: "DELETE" });
      expect(faults.status).toBe(200);
    });
  });

  describe("orders, refunds and webhooks", () => {
    let paid: CheckoutAnswer;

    beforeAll(async () => {
      paid = (await checkout({ amount: "150.00", currency: "PEN" })).json;
      await paymentsGraphql(RESOLVE, { id: paid.gid });
    });

    it("serves orders with their documented transactions, and no payment session id anywhere", async () => {
      const listed = (await getJson(`${base}/orders?shop=${SHOP}`)).json as { orders: { id: string; paymentSessionId: string; createdAt: string }[] };
      const own = listed.orders.find((order) => order.paymentSessionId === paid.id)!;
      const result = await adminGraphql(
        `query Orders($query: String!) {
          orders(first: 50, query: $query) {
            edges { node { id name email displayFinancialStatus totalPriceSet { shopMoney { amount currencyCode } } createdAt cancelledAt
              transactions(first: 5) { kind status gateway amountSet { shopMoney { amount currencyCode } } authorizationCode createdAt processedAt test } } }
            pageInfo { hasNextPage }
          }
        }`,
        { query: `gateway:pagoefectivo created_at:>=${own.createdAt}` },
      );
      const edges = (result.json as { data: { orders: { edges: { node: Record<string, unknown> }[] } } }).data.orders.edges;
      const node = edges.find((edge) => edge.node.id === own.id)!.node;
      expect(node).toMatchObject({
        displayFinancialStatus: "PAID",
        totalPriceSet: { shopMoney: { amount: "150.00", currencyCode: "PEN" } },
        cancelledAt: null,
        transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "pagoefectivo", amountSet: { shopMoney: { amount: "150.00", currencyCode: "PEN" } } }],
      });
      expect(JSON.stringify(result.json)).not.toContain(paid.id);
      const attributes = await adminGraphql(`{ orders(first: 1) { nodes { customAttributes { key value } } } }`);
      expect(JSON.stringify(attributes.json)).toContain("Field 'customAttributes' doesn't exist on type 'Order'");
      const bySession = await adminGraphql(`query($q: String!) { orders(first: 5, query: $q) { nodes { id } } }`, { q: `payment_session_id:${paid.id}` });
      expect(JSON.stringify(bySession.json)).toContain("Invalid search field for this query: 'payment_session_id'");
      const byId = await adminGraphql(`query($id: ID!) { order(id: $id) { name displayFinancialStatus } }`, { id: node.id });
      expect(byId.json).toEqual({ data: { order: { name: node.name, displayFinancialStatus: "PAID" } } });

    });

    it("sends a refund session over mTLS and applies refundSessionResolve to the order", async () => {
      const refund = await postJson(`${base}/payment-sessions/${paid.id}/refunds`, { amount: "50.00" });
      expect(refund.status).toBe(200);
      const answer = refund.json as { id: string; gid: string; status: number };
      expect(answer.status).toBe(201);
      const request = fakeApp.requests.at(-1)!;
      expect(request.path).toBe("/refund_session");
      expect(request.authorized).toBe(true);
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(body).toMatchObject({ id: answer.id, gid: `gid://shopify/RefundSession/${answer.id}`, payment_id: paid.id, amount: "50.00", currency: "PEN", test: false });
      expect(Object.keys(body)).toEqual(["id", "gid", "payment_id", "amount", "currency", "test", "merchant_locale", "proposed_at"]);

      const tooMuch = await postJson(`${base}/payment-sessions/${paid.id}/refunds`, { amount: "100.01" });
      expect(tooMuch.status).toBe(409);

      const resolved = await paymentsGraphql(
        `mutation($id: ID!) { refundSessionResolve(id: $id) { refundSession { id state { ... on RefundSessionStateResolved { code } } } userErrors { field message } } }`,
        { id: answer.gid },
      );
      expect(resolved.json).toEqual({ data: { refundSessionResolve: { refundSession: { id: answer.gid, state: { code: "RESOLVED" } }, userErrors: [] } } });
      const rejectAfter = await paymentsGraphql(
        `mutation($id: ID!) { refundSessionReject(id: $id, reason: {code: PROCESSING_ERROR}) { userErrors { message } } }`,
        { id: answer.gid },
      );
      expect(JSON.stringify(rejectAfter.json)).toContain("Cannot reject a resolved refund session");
      const refundView = (await getJson(`${base}/refund-sessions/${answer.id}`)).json as SessionView;
      expect(refundView.state).toBe("resolved");
      expect(refundView.mutations.map((m) => `${m.name}:${m.result}`)).toEqual(["refundSessionResolve:ok", "refundSessionReject:user_error"]);

      const view = await session(paid.id);
      const order = (await getJson(`${base}/orders/${encodeURIComponent(view.orderId!)}`)).json as { financialStatus: string; refundedAmount: string };
      expect(order).toMatchObject({ financialStatus: "partially_refunded", refundedAmount: "50.00" });
    });

    it("cancels an order and sends orders/cancelled signed with the app secret", async () => {
      const view = await session(paid.id);
      const numericId = view.orderId!.split("/").at(-1)!;
      const cancelled = await postJson(`${base}/orders/${numericId}/cancel`, { reason: "customer" });
      expect(cancelled.status).toBe(200);
      expect((cancelled.json as { webhook: { status: number } }).webhook.status).toBe(200);
      const delivery = sink.received.at(-1)!;
      expect(delivery.path).toBe("/webhooks/orders-cancelled");
      expect(delivery.headers["x-shopify-topic"]).toBe("orders/cancelled");
      expect(delivery.headers["x-shopify-shop-domain"]).toBe(SHOP);
      expect(delivery.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(delivery.headers["x-shopify-api-version"]).toBe("2025-10");
      expect(delivery.headers["x-shopify-triggered-at"]).toBeDefined();
      const expected = createHmac("sha256", API_SECRET).update(delivery.body).digest("base64");
      expect(delivery.headers["x-shopify-hmac-sha256"]).toBe(expected);
      const body = JSON.parse(delivery.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        id: Number(numericId),
        admin_graphql_api_id: view.orderId,
        financial_status: "partially_refunded",
        total_price: "150.00",
        currency: "PEN",
        payment_gateway_names: ["pagoefectivo"],
      });
      expect(body.cancelled_at).toEqual(expect.any(String));

      // The real library accepts the delivery.
      const shopify = shopifyApi({
        apiKey: API_KEY,
        apiSecretKey: API_SECRET,
        scopes: [],
        hostName: "127.0.0.1",
        apiVersion: ApiVersion.October25,
        isEmbeddedApp: false,
        logger: { level: LogSeverity.Error, log: async () => undefined },
      });
      const check = await shopify.webhooks.validate({
        rawBody: delivery.body,
        rawRequest: { headers: delivery.headers, method: "POST", url: delivery.path } as never,
        rawResponse: {} as never,
      });
      expect(check).toMatchObject({ valid: true, topic: "ORDERS_CANCELLED", domain: SHOP });

      expect((await postJson(`${base}/orders/${numericId}/cancel`, {})).status).toBe(409);
    });

    it("sends compliance webhooks", async () => {
      const response = await postJson(`${base}/shops/${SHOP}/compliance/customers/redact`, {});
      expect(response.status).toBe(200);
      const delivery = sink.received.at(-1)!;
      expect(delivery.headers["x-shopify-topic"]).toBe("customers/redact");
      const body = JSON.parse(delivery.body) as { shop_domain: string; orders_to_redact: number[] };
      expect(body.shop_domain).toBe(SHOP);
      expect(body.orders_to_redact.length).toBeGreaterThan(0);
      expect((await postJson(`${base}/shops/${SHOP}/compliance/orders/paid`, {})).status).toBe(400);
    });

    it("retries a failed webhook 8 times over about 4 hours with the same X-Shopify-Webhook-Id, then stops", async () => {
      sink.failNext(100);
      const sent = await postJson(`${base}/shops/${SHOP}/compliance/customers/data_request`, {});
      const webhookId = (sent.json as { webhook: { webhookId: string } }).webhook.webhookId;
      const firstAt = clock.now().getTime();
      for (const minutes of [1, 2, 4, 8, 15, 30, 60, 120]) {
        // Not due yet: nothing is sent a second early.
        clock.advance(minutes * 60 - 1);
        expect((await postJson(`${base}/webhooks/retries/run`, {})).json).toEqual({ webhooks: [] });
        clock.advance(1);
        const run = (await postJson(`${base}/webhooks/retries/run`, {})).json as { webhooks: { webhookId: string; status: number }[] };
        expect(run.webhooks.map((w) => [w.webhookId, w.status])).toEqual([[webhookId, 500]]);
      }
      expect(clock.now().getTime() - firstAt).toBeGreaterThanOrEqual(240 * 60_000);
      const deliveries = sink.received.filter((request) => request.headers["x-shopify-webhook-id"] === webhookId);
      expect(deliveries).toHaveLength(9);
      expect(new Set(deliveries.map((d) => d.headers["x-shopify-triggered-at"])).size).toBe(1);
      expect(new Set(deliveries.map((d) => d.body)).size).toBe(1);
      const left = (await getJson(`${base}/webhooks/retries`)).json as { retries: unknown[] };
      expect(left.retries).toEqual([]);
      sink.failNext(0);
    });

    it("stops retrying once the app answers 2xx", async () => {
      sink.failNext(1);
      const sent = await postJson(`${base}/shops/${SHOP}/compliance/customers/redact`, {});
      const webhookId = (sent.json as { webhook: { webhookId: string } }).webhook.webhookId;
      clock.advance(60);
      const run = (await postJson(`${base}/webhooks/retries/run`, {})).json as { webhooks: { webhookId: string; status: number; attempt: number }[] };
      expect(run.webhooks).toMatchObject([{ webhookId, status: 200, attempt: 2 }]);
      clock.advance(10 * 60);
      expect((await postJson(`${base}/webhooks/retries/run`, {})).json).toEqual({ webhooks: [] });
    });
  });

  describe("OAuth", () => {
    const OAUTH_SHOP = "oauth-test-shop.myshopify.com";

    it("runs authorize -> signed callback -> code exchange as @shopify/shopify-api expects", async () => {
      const redirectUri = "https://app.example.test/auth/callback";
      const state = randomUUID();
      const authorizeUrl = `${base}/shops/${OAUTH_SHOP}/admin/oauth/authorize?client_id=${API_KEY}&scope=write_payment_gateways,write_payment_sessions&redirect_uri=${encodeURIComponent(redirectUri)}&state=${state}&grant_options[]=`;
      const consent = await fetch(authorizeUrl);
      expect(consent.status).toBe(200);
      const html = await consent.text();
      expect(html).toContain("Install");

      const form = new URLSearchParams([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, decodeEntities(m[2]!)]));
      const approved = await fetch(`${base}/shops/${OAUTH_SHOP}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
      expect(approved.status).toBe(302);
      const callback = new URL(approved.headers.get("location")!);
      expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
      const query = Object.fromEntries(callback.searchParams);
      expect(query).toMatchObject({ shop: OAUTH_SHOP, state });
      expect(Buffer.from(query.host!, "base64").toString()).toBe(`${OAUTH_SHOP}/admin`);

      const shopify = shopifyApi({
        apiKey: API_KEY,
        apiSecretKey: API_SECRET,
        scopes: ["write_payment_gateways"],
        hostName: "app.example.test",
        apiVersion: ApiVersion.October25,
        isEmbeddedApp: false,
        logger: { level: LogSeverity.Error, log: async () => undefined },
      });
      expect(await shopify.utils.validateHmac(query)).toBe(true);
      expect(await shopify.utils.validateHmac({ ...query, shop: "evil.myshopify.com" })).toBe(false);

      const exchange = await postJson(`${base}/shops/${OAUTH_SHOP}/admin/oauth/access_token`, { client_id: API_KEY, client_secret: API_SECRET, code: query.code });
      expect(exchange.status).toBe(200);
      const grant = exchange.json as { access_token: string; scope: string };
      expect(grant.scope).toBe("write_payment_gateways,write_payment_sessions");
      expect(grant.access_token).toMatch(/^shpat_/);
      const reuse = await postJson(`${base}/shops/${OAUTH_SHOP}/admin/oauth/access_token`, { client_id: API_KEY, client_secret: API_SECRET, code: query.code });
      expect(reuse.status).toBe(400);

      const shopQuery = await postJson(
        `${base}/shops/${OAUTH_SHOP}/admin/api/2025-10/graphql.json`,
        { query: "{ shop { myshopifyDomain } }" },
        { "X-Shopify-Access-Token": grant.access_token },
      );
      expect(shopQuery.json).toEqual({ data: { shop: { myshopifyDomain: OAUTH_SHOP } } });
    });

    it("completes @shopify/shopify-api auth.begin -> consent -> auth.callback with the origin rewritten to the simulator", async () => {
      const shop = "library-flow.myshopify.com";
      let appOrigin = "";
      const shopify = shopifyApi({
        apiKey: API_KEY,
        apiSecretKey: API_SECRET,
        scopes: ["write_payment_gateways", "write_payment_sessions"],
        hostName: "placeholder",
        hostScheme: "http",
        apiVersion: ApiVersion.October25,
        isEmbeddedApp: false,
        logger: { level: LogSeverity.Error, log: async () => undefined },
      });
      // What the app does in sandbox mode: https://{shop}/... goes to the simulator's mount point.
      setAbstractFetchFunc((input, init) => fetch(String(input).replace(`https://${shop}/`, `${base}/shops/${shop}/`), init));
      const web = express();
      web.get("/auth", async (req, res) => {
        await shopify.auth.begin({ shop, callbackPath: "/auth/callback", isOnline: false, rawRequest: req, rawResponse: res });
      });
      web.get("/auth/callback", async (req, res) => {
        const { session } = await shopify.auth.callback({ rawRequest: req, rawResponse: res });
        res.json({ accessToken: session.accessToken, scope: session.scope, shop: session.shop });
      });
      const server = web.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      appOrigin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      shopify.config.hostName = appOrigin;
      try {
        const headers = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0" };
        const begin = await fetch(`http://${appOrigin}/auth`, { redirect: "manual", headers });
        expect(begin.status).toBe(302);
        const cookies = begin.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
        const authorize = begin.headers.get("location")!.replace(`https://${shop}/`, `${base}/shops/${shop}/`);
        const html = await (await fetch(authorize, { headers })).text();
        const form = new URLSearchParams([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, decodeEntities(m[2]!)]));
        const approved = await fetch(`${base}/shops/${shop}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual", headers });
        const callback = approved.headers.get("location")!;
        expect(callback.startsWith(`http://${appOrigin}/auth/callback?`)).toBe(true);
        const done = await fetch(callback, { headers: { ...headers, Cookie: cookies } });
        expect(done.status).toBe(200);
        const session = (await done.json()) as { accessToken: string; scope: string; shop: string };
        expect(session).toMatchObject({ shop, scope: "write_payment_gateways,write_payment_sessions" });
        const shopQuery = await postJson(
          `${base}/shops/${shop}/payments_apps/api/2025-10/graphql.json`,
          { query: "mutation { paymentsAppConfigure(ready: false) { paymentsAppConfiguration { ready } } }" },
          { "X-Shopify-Access-Token": session.accessToken },
        );
        expect(shopQuery.json).toEqual({ data: { paymentsAppConfigure: { paymentsAppConfiguration: { ready: false } } } });
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it("issues an online token with the associated user for grant_options[]=per-user", async () => {
      const consent = await fetch(
        `${base}/shops/${OAUTH_SHOP}/admin/oauth/authorize?client_id=${API_KEY}&scope=read_orders&redirect_uri=${encodeURIComponent("https://app.example.test/cb")}&state=s1&grant_options[]=per-user`,
      );
      const html = await consent.text();
      const form = new URLSearchParams([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, decodeEntities(m[2]!)]));
      const approved = await fetch(`${base}/shops/${OAUTH_SHOP}/admin/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
      const code = new URL(approved.headers.get("location")!).searchParams.get("code");
      const exchange = await postJson(`${base}/shops/${OAUTH_SHOP}/admin/oauth/access_token`, { client_id: API_KEY, client_secret: API_SECRET, code });
      expect(exchange.json).toMatchObject({
        scope: "read_orders",
        expires_in: expect.any(Number) as unknown,
        associated_user_scope: "read_orders",
        associated_user: { account_owner: true, email_verified: true, collaborator: false },
      });
      const wrongSecret = await postJson(`${base}/shops/${OAUTH_SHOP}/admin/oauth/access_token`, { client_id: API_KEY, client_secret: "nope", code: "x" });
      expect(wrongSecret.status).toBe(400);
    });

    it("refuses an unknown client_id", async () => {
      const response = await fetch(`${base}/shops/${OAUTH_SHOP}/admin/oauth/authorize?client_id=other&scope=&redirect_uri=https://x.test/cb`);
      expect(response.status).toBe(400);
    });

    it("uninstalls: sends app/uninstalled and revokes the token", async () => {
      const installed = await postJson(`${base}/shops/uninstall-me.myshopify.com/install`, {});
      const accessToken = (installed.json as { accessToken: string }).accessToken;
      const before = await postJson(
        `${base}/shops/uninstall-me.myshopify.com/admin/api/2025-10/graphql.json`,
        { query: "{ shop { name } }" },
        { "X-Shopify-Access-Token": accessToken },
      );
      expect(before.status).toBe(200);
      const uninstalled = await postJson(`${base}/shops/uninstall-me.myshopify.com/uninstall`, {});
      expect(uninstalled.status).toBe(200);
      expect(sink.received.at(-1)!.headers["x-shopify-topic"]).toBe("app/uninstalled");
      const after = await postJson(
        `${base}/shops/uninstall-me.myshopify.com/admin/api/2025-10/graphql.json`,
        { query: "{ shop { name } }" },
        { "X-Shopify-Access-Token": accessToken },
      );
      expect(after.status).toBe(401);
    });
  });

  describe("control API errors and persistence", () => {
    it("answers 409 when no app is registered and 404 for unknown records", async () => {
      const otherDir = mkdtempSync(join(tmpdir(), "shopify-simulator-empty-"));
      const empty = await startSimulatorServer({ dataDir: otherDir, clock });
      try {
        const response = await postJson(`${empty.baseUrl}/checkouts`, { amount: "1.00" });
        expect(response).toEqual({ status: 409, json: { error: "No app registered: PUT /sandbox/shopify/app first" } });
        expect((await getJson(`${empty.baseUrl}/payment-sessions/nope`)).status).toBe(404);
        const badApp = await fetch(`${empty.baseUrl}/app`, {
          method: "PUT",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ apiKey: "k", apiSecret: "s", paymentSessionUrl: "http://insecure", refundSessionUrl: "https://x", serverCaPem: "x" }),
        });
        expect(badApp.status).toBe(400);

        const tls = loadOrCreateServerTls(join(otherDir, "tls"));
        await empty.simulator.registerApp({
          apiKey: "k",
          apiSecret: "s",
          paymentSessionUrl: "https://127.0.0.1:1/payment_session",
          refundSessionUrl: "https://127.0.0.1:1/refund_session",
          serverCaPem: tls.caPem,
        });
        const notInstalled = await postJson(`${empty.baseUrl}/checkouts`, { amount: "1.00" });
        expect(notInstalled.status).toBe(409);
        const installed = await empty.simulator.installShop(SHOP);
        const notReady = await postJson(`${empty.baseUrl}/checkouts`, { amount: "1.00" });
        expect(notReady.status).toBe(409);
        await postJson(
          `${empty.baseUrl}/shops/${SHOP}/payments_apps/api/2025-10/graphql.json`,
          { query: CONFIGURE, variables: { ready: true } },
          { "X-Shopify-Access-Token": installed.accessToken },
        );
        const unreachable = await postJson(`${empty.baseUrl}/checkouts`, { amount: "1.00" });
        expect(unreachable.status).toBe(502);
        expect(unreachable.json).toMatchObject({ status: null, redirect_url: null, error: expect.stringContaining("ECONNREFUSED") as unknown });
      } finally {
        await empty.close();
        rmSync(otherDir, { recursive: true, force: true });
      }
    });

    it("has stored every change it made: the database holds exactly the live state", async () => {
      // Every test above changed shops, sessions, refunds, orders, OAuth codes, tokens and webhooks: a change the
      // store missed (a record changed outside its tracking) shows up here as a difference.
      await running.simulator.whenIdle();
      const live = running.simulator.exportState();
      expect(Object.keys(live.paymentSessions).length).toBeGreaterThan(10);
      expect(Object.keys(live.orders).length).toBeGreaterThan(0);
      expect(Object.keys(live.refundSessions).length).toBeGreaterThan(0);
      expect(live.webhookDeliveries.length).toBeGreaterThan(0);
      expect(SimulatorStore.read(join(dataDir, "sandbox", "shopify.sqlite"))).toEqual(live);
    });

    it("imports the JSON state file of earlier versions once, then renames it", async () => {
      await running.simulator.whenIdle();
      const live = running.simulator.exportState();
      const upgradeDir = mkdtempSync(join(tmpdir(), "shopify-simulator-upgrade-"));
      mkdirSync(join(upgradeDir, "sandbox"), { recursive: true });
      writeFileSync(join(upgradeDir, "sandbox", "shopify-state.json"), JSON.stringify(live));
      const upgraded = await startSimulatorServer({ dataDir: upgradeDir, clock });
      try {
        expect(upgraded.simulator.exportState()).toEqual(live);
        expect(existsSync(join(upgradeDir, "sandbox", "shopify-state.json"))).toBe(false);
        expect(existsSync(join(upgradeDir, "sandbox", "shopify-state.json.imported"))).toBe(true);
        expect(SimulatorStore.read(join(upgradeDir, "sandbox", "shopify.sqlite"))).toEqual(live);
      } finally {
        await upgraded.close();
        rmSync(upgradeDir, { recursive: true, force: true });
      }
    });

    it("keeps sessions, mutations, orders, tokens and the CA across a restart", async () => {
      const { json } = await checkout();
      await paymentsGraphql(PENDING, { id: json.gid, pendingExpiresAt: inThreeDays(), reason: "BUYER_ACTION_REQUIRED" });
      const before = await session(json.id);
      const caBefore = running.simulator.paymentsPlatformCaPem;
      await running.simulator.whenIdle();
      const stored = SimulatorStore.read(join(dataDir, "sandbox", "shopify.sqlite"));
      expect(stored?.paymentSessions[json.id]).toBeDefined();

      await running.close();
      running = await startSimulatorServer({ dataDir, clock, faultTimeoutMs: 300 });
      base = running.baseUrl;
      expect(running.simulator.paymentsPlatformCaPem).toBe(caBefore);
      const after = await session(json.id);
      expect(after.state).toBe("pending");
      expect(after.mutations).toEqual(before.mutations);
      expect(after.orderId).toBe(before.orderId);

      const resolved = await paymentsGraphql(RESOLVE, { id: json.gid });
      expect(resolved.status).toBe(200);
      expect((await session(json.id)).state).toBe("resolved");
      const resent = await postJson(`${base}/checkouts/${json.id}/resend`, {});
      expect((resent.json as CheckoutAnswer).status).toBe(201);
    });
  });
});

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
