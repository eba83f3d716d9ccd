import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ChaosWorld, effective, pool, sleep, waitFor } from "./chaos-harness";
import { record } from "./chaos-report";

/**
 * Crash (issue #10): checkouts and payments with duplicate and lost notifications while the app is
 * SIGKILLed three times at random points and started again. Then business time runs past every CIP's
 * expiry. Every paid CIP's session is resolved exactly once, no unpaid one is resolved, and every unpaid
 * one is rejected exactly once. Scaled to CHAOS_CHECKOUTS (default 30: the 500 take far longer than
 * the few minutes the suite may take on a shared 2-core machine; measured there at a load average of ~20, 100
 * checkouts did not finish within 300 s). The time limit grows with the size, so a full-size run is not cut short.
 */
const CHECKOUTS = Number(process.env.CHAOS_CHECKOUTS ?? 30);
const KILLS = Number(process.env.CHAOS_KILLS ?? 3);
/** 300 s at the default size; 6 s more per extra checkout (the machine above needed over 3 s each). */
const TIME_LIMIT_MS = 300_000 + Math.max(0, CHECKOUTS - 30) * 6_000;

describe("chaos: the app is SIGKILLed three times during checkouts and payments", () => {
  const world = new ChaosWorld("crash");
  beforeAll(async () => {
    await world.start();
  }, 120_000);
  afterAll(async () => {
    await world.stop();
  });

  it("loses nothing and doubles nothing", async () => {
    const ids: string[] = [];
    const paid = new Set<string>();
    let duplicates = 0;
    let lost = 0;
    let unconfirmed = 0;
    let appDown = false;

    // The killer: three SIGKILLs at random moments while the load runs, each followed by a restart.
    let loadDone = false;
    const killer = (async () => {
      for (let k = 0; k < KILLS; k += 1) {
        await sleep(1500 + Math.random() * 4000);
        appDown = true;
        await world.killApp();
        await sleep(300 + Math.random() * 700);
        await world.restartApp();
        appDown = false;
      }
    })();

    const checkoutOnce = async (index: number): Promise<void> => {
      // One amount per checkout: a payment of a CIP whose creation answer was lost is linked by its amount.
      const amount = `${10 + index}.${String(index % 100).padStart(2, "0")}`;
      let answer = await world.checkout(amount);
      // The simulator refuses to start a checkout it cannot even send (the app was never reachable): try again.
      for (let tries = 0; !answer.body.id && tries < 60; tries += 1) {
        await sleep(500);
        answer = await world.checkout(amount);
      }
      const id = answer.body.id;
      if (!id) throw new Error(`checkout not started: ${JSON.stringify(answer)}`);
      // Shopify retries a session request that got no answer (the app was down): the same id, resent.
      for (let tries = 0; answer.body.status !== 201 && tries < 60; tries += 1) {
        await sleep(appDown ? 500 : 200);
        answer = await world.resendCheckout(id);
      }
      expect(answer.body.status, `checkout ${id}`).toBe(201);
      ids.push(id);
      if (index % 10 < 7) {
        // 70 % of buyers pay; of those, one in ten notifications is sent twice and one in ten is lost.
        const shown = await world.cipShownToBuyer(answer.body.redirect_url ?? "", id);
        if (shown.via === "email") unconfirmed += 1;
        // The creation's request never reached PagoEfectivo before the kill: no CIP exists, nothing to pay.
        if (shown.cip === null) return;
        const cip = { cip: shown.cip };
        // A lost notification of a CIP whose creation answer was lost cannot be found by the app: PagoEfectivo's
        // v1 search needs the CIP number (it is left to the settlement import), so that notification is delivered.
        const kind = index % 10 === 0 ? "duplicate" : index % 10 === 1 && shown.via === "page" ? "lost" : "normal";
        const body = kind === "duplicate" ? { duplicates: 1 } : kind === "lost" ? { notify: false } : {};
        const payment = await world.emulator("POST", `/cips/${cip.cip}/pay`, body);
        expect(payment.status, JSON.stringify(payment.body)).toBe(200);
        paid.add(id);
        if (kind === "duplicate") duplicates += 1;
        if (kind === "lost") lost += 1;
      }
    };

    await pool(
      Array.from({ length: CHECKOUTS }, (_, i) => i),
      4,
      checkoutOnce,
    );
    loadDone = true;
    await killer;
    expect(loadDone).toBe(true);
    expect(world.figures.kills).toBe(KILLS);

    // Business time runs on: leases run out, the poller finds lost payments, unpaid CIPs expire.
    const settled = async () => {
      const sessions = (await world.sessions()).filter((s) => ids.includes(s.id));
      return sessions.length === ids.length && sessions.every((s) => s.state === (paid.has(s.id) ? "resolved" : "rejected"));
    };
    await waitFor(
      async () => {
        world.advance(3 * 3600);
        return settled();
      },
      Math.max(150_000, CHECKOUTS * 1_000),
      1000,
    );

    const sessions = (await world.sessions()).filter((s) => ids.includes(s.id));
    const cips = await world.cips();
    let doubled = 0;
    let missing = 0;
    let orphans = 0;
    for (const session of sessions) {
      const resolves = effective(session, "paymentSessionResolve").length;
      const rejects = effective(session, "paymentSessionReject").length;
      if (paid.has(session.id)) {
        if (resolves === 0) missing += 1;
        if (resolves > 1 || rejects > 0) doubled += 1;
      } else {
        if (resolves > 0 || rejects !== 1) doubled += 1;
      }
      const own = cips.filter((c) => c.transactionCode === session.id.slice(0, 36));
      // At most one CIP per session, even when the app died in the middle of its creation (issue-cip.ts).
      orphans += Math.max(0, own.length - 1);
      if (own.filter((c) => c.status === "paid").length > 1) doubled += 1;
    }
    record("crash", {
      checkouts: ids.length,
      paid: paid.size,
      duplicateNotifications: duplicates,
      lostNotifications: lost,
      kills: world.figures.kills,
      unconfirmedCreations: unconfirmed,
      orphanCips: orphans,
      lost: missing,
      doubled,
      stuck: sessions.filter((s) => s.state === "pending").length,
    });
    expect({ missing, doubled, orphans }).toEqual({ missing: 0, doubled: 0, orphans: 0 });
  }, TIME_LIMIT_MS);
});
