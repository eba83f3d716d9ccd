import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { testEngine } from "../helpers/test-database";
import { ChaosWorld, type CheckoutAnswer, effective, pool, sleep, waitFor } from "./chaos-harness";
import { record } from "./chaos-report";

/**
 * PagoEfectivo outage (issue #10): while checkouts come in, PagoEfectivo's sign-in answers 500, and CIP creation
 * answers 500 (nothing created), is held past the client's timeout or cut, or is carried out and then its answer
 * lost (timeout, 502 from a gateway). Every session request gets an answer Shopify retries (503) or a redirect
 * (201), never anything else; no session ever gets two CIPs at PagoEfectivo; the buyer page is a clear one (the
 * CIP, or "check your e-mail" when the creation's outcome is unknown). Then PagoEfectivo recovers: every paid CIP's
 * session is resolved exactly once, every other one rejected exactly once at expiry. Scaled to
 * CHAOS_PE_OUTAGE_CHECKOUTS (default 16).
 */
const CHECKOUTS = Number(process.env.CHAOS_PE_OUTAGE_CHECKOUTS ?? 16);

const FAULTS = [
  // Sign-in refused: the app cannot even get a token (DOC §5.1.1's 500, "166").
  { kind: "error5xx", count: 4, paths: ["authorizations"] },
  // CIP creation answered 500 "166": nothing created (transient, Shopify is asked to retry).
  { kind: "error5xx", count: 6, paths: ["cips"] },
  // Created, then the answer lost: held past the app's 2 s timeout, or a 502 from a gateway in front.
  { kind: "timeout", count: 3, paths: ["cips"], apply: true },
  { kind: "error5xx", status: 502, count: 3, paths: ["cips"], apply: true },
  // Cut or held without creating anything: the app cannot tell these from the two above.
  { kind: "reset", count: 2, paths: ["cips"] },
  { kind: "timeout", count: 2, paths: ["cips"] },
] as const;

describe("chaos: PagoEfectivo is down during checkouts", () => {
  const world = new ChaosWorld("pagoefectivo-outage");
  beforeAll(async () => {
    await world.start();
  }, 120_000);
  afterAll(async () => {
    await world.stop();
  });

  it("answers every checkout with a retry or a redirect, never creates two CIPs, and settles everything after", async () => {
    for (const fault of FAULTS) expect((await world.emulator("POST", "/faults", fault)).status).toBe(201);
    const queued = FAULTS.reduce((sum, f) => sum + f.count, 0);

    const ids: string[] = [];
    const paid = new Set<string>();
    const statuses = new Map<string, number>();
    let unconfirmed = 0;
    let unclearPages = 0;
    await pool(
      Array.from({ length: CHECKOUTS }, (_, i) => i),
      4,
      async (index) => {
        let answer = await world.checkout(`${200 + index}.25`);
        const id = answer.body.id;
        const note = (a: { body: CheckoutAnswer }) => statuses.set(String(a.body.status), (statuses.get(String(a.body.status)) ?? 0) + 1);
        note(answer);
        // Shopify resends a session request answered 503 (or not answered) until it gets a redirect.
        for (let tries = 0; answer.body.status !== 201 && tries < 60; tries += 1) {
          // 503 from the app, or no answer at all (a keep-alive connection the server had just closed): both resent.
          expect([503, null], `checkout ${id}: ${JSON.stringify(answer.body)}`).toContain(answer.body.status);
          await sleep(300);
          answer = await world.resendCheckout(id);
          note(answer);
        }
        expect(answer.body.status, `checkout ${id}`).toBe(201);
        ids.push(id);

        const page = await fetch(answer.body.redirect_url ?? "");
        const html = await page.text();
        if (page.status !== 200 || !/data-state="(pending|issuing)"/.test(html)) unclearPages += 1;
        const shown = await world.cipShownToBuyer(answer.body.redirect_url ?? "", id);
        if (shown.via === "email") {
          unconfirmed += 1;
          // The page says plainly what to do when the creation's outcome is unknown.
          const again = await (await fetch(answer.body.redirect_url ?? "")).text();
          if (!again.includes("Revisa tu correo")) unclearPages += 1;
        }
        // Half the buyers pay the CIP they have (on the page, or e-mailed by PagoEfectivo).
        if (index % 2 === 0 && shown.cip) {
          const payment = await world.emulator("POST", `/cips/${shown.cip}/pay`, {});
          expect(payment.status, JSON.stringify(payment.body)).toBe(200);
          paid.add(id);
        }
      },
    );
    const left = (await world.emulator<{ faults: { remaining: number }[] }>("GET", "/faults")).body.faults.reduce((sum, f) => sum + f.remaining, 0);
    expect((await world.emulator("DELETE", "/faults")).status).toBe(200);

    // No session ever got two CIPs at PagoEfectivo.
    const cips = await world.cips();
    const twice = ids.filter((id) => cips.filter((c) => c.transactionCode === id.slice(0, 36)).length > 1).length;

    // PagoEfectivo is back: business time runs past every expiry; paid sessions resolve, the others are rejected.
    await waitFor(
      async () => {
        world.advance(3 * 3600);
        const sessions = (await world.sessions()).filter((s) => ids.includes(s.id));
        return sessions.length === ids.length && sessions.every((s) => s.state === (paid.has(s.id) ? "resolved" : "rejected"));
      },
      120_000,
      1000,
    ).catch(() => undefined);

    const sessions = (await world.sessions()).filter((s) => ids.includes(s.id));
    let missing = 0;
    let doubled = twice;
    for (const session of sessions) {
      const resolves = effective(session, "paymentSessionResolve").length;
      const rejects = effective(session, "paymentSessionReject").length;
      if (paid.has(session.id)) {
        if (resolves === 0) missing += 1;
        if (resolves > 1 || rejects > 0) doubled += 1;
      } else if (resolves > 0 || rejects > 1) {
        doubled += 1;
      }
    }
    const stuck = sessions.filter((s) => s.state === "pending").length + (ids.length - sessions.length);
    record(`pagoefectivo-outage-${testEngine()}`, {
      checkouts: ids.length,
      answers201: statuses.get("201") ?? 0,
      answers503: statuses.get("503") ?? 0,
      connectionErrors: statuses.get("null") ?? 0,
      otherAnswers: [...statuses].filter(([s]) => s !== "201" && s !== "503" && s !== "null").reduce((sum, [, n]) => sum + n, 0),
      faultsInjected: queued - left,
      unconfirmedCreations: unconfirmed,
      paid: paid.size,
      unclearPages,
      lost: missing,
      doubled,
      stuck,
    });
    expect(queued - left, "the outage actually hit the app").toBeGreaterThan(10);
    expect(statuses.get("503") ?? 0, "Shopify was asked to retry").toBeGreaterThan(0);
    expect({ missing, doubled, twice, stuck, unclearPages }).toEqual({ missing: 0, doubled: 0, twice: 0, stuck: 0, unclearPages: 0 });
  }, 300_000);
});
