import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { testEngine } from "../helpers/test-database";
import { ChaosWorld, effective, type EmulatorNotification, pool, sleep, waitFor } from "./chaos-harness";
import { record } from "./chaos-report";

/**
 * Crash (issue #10): 500 checkouts and payments with 10 % duplicate and 10 % lost notifications while the app is
 * SIGKILLed three times at random points of the stream and started again. Then business time runs past every
 * CIP's expiry. Every paid CIP's session is resolved exactly once, no unpaid one is resolved, and every unpaid
 * one is rejected exactly once. The checkouts run CHAOS_CONCURRENCY at a time (default 16: a buyer's checkout is
 * mostly waiting on the app, and the app is one process); each kill falls at a random checkout of its third of the
 * stream, while session requests, notifications and the outbox's deliveries are in flight (counted at the kill and
 * asserted). Sized by CHAOS_CHECKOUTS (default 500); the time limit grows with the size.
 */
const CHECKOUTS = Number(process.env.CHAOS_CHECKOUTS ?? 500);
const KILLS = Number(process.env.CHAOS_KILLS ?? 3);
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 16);
/** Measured at low load: 500 checkouts in about 3 minutes; CI's machine is shared, so leave it room. */
const TIME_LIMIT_MS = 300_000 + CHECKOUTS * 1_200;

describe("chaos: the app is SIGKILLed three times during checkouts and payments", () => {
  const world = new ChaosWorld("crash");
  beforeAll(async () => {
    await world.start();
  }, 120_000);
  afterAll(async () => {
    await world.stop();
  });

  it("loses nothing and doubles nothing", async () => {
    const startedAt = Date.now();
    const ids: string[] = [];
    const paid = new Set<string>();
    let duplicates = 0;
    let lost = 0;
    let unconfirmed = 0;
    let renotified = 0;
    let started = 0;
    const inFlight = { sessionRequests: 0, notifications: 0 };
    const atKills: { sessionRequests: number; notifications: number; outboxPending: number }[] = [];
    const tracked = async <T>(kind: keyof typeof inFlight, work: () => Promise<T>): Promise<T> => {
      inFlight[kind] += 1;
      try {
        return await work();
      } finally {
        inFlight[kind] -= 1;
      }
    };

    // The killer: each kill at a random checkout of its own part of the stream (between 10 % and 90 % of it), so
    // the three land spread over the run, not all in its first seconds.
    const killPoints = Array.from({ length: KILLS }, (_, k) => Math.floor(CHECKOUTS * (0.1 + (0.8 * (k + Math.random())) / KILLS)));
    const killer = (async () => {
      for (const point of killPoints) {
        await waitFor(async () => started >= point, TIME_LIMIT_MS, 20);
        await sleep(Math.random() * 300);
        const outboxPending = await world.appDbCount(`SELECT COUNT(*) AS n FROM "OutboxJob" WHERE status = 'pending'`).catch(() => -1);
        atKills.push({ ...inFlight, outboxPending });
        await world.killApp();
        await sleep(300 + Math.random() * 700);
        await world.restartApp();
      }
    })();

    /** Whether one of PagoEfectivo's tries to notify the CIP's payment got the app's 200 (waits for its retry to be done). */
    const notificationDelivered = async (cip: string): Promise<boolean> => {
      let notifications: EmulatorNotification[] = [];
      await waitFor(async () => {
        notifications = (await world.emulator<{ notifications: EmulatorNotification[] }>("GET", `/cips/${cip}`)).body.notifications;
        const tries = new Map<string, EmulatorNotification[]>();
        for (const n of notifications) tries.set(n.deliveryId, [...(tries.get(n.deliveryId) ?? []), n]);
        return [...tries.values()].every((t) => t.some((n) => n.httpStatus === 200 || n.attempt >= 2));
      }, 30_000, 250);
      return notifications.some((n) => n.httpStatus === 200);
    };

    const checkoutOnce = async (index: number): Promise<void> => {
      started += 1;
      // One amount per checkout: a payment of a CIP whose creation answer was lost is linked by its amount.
      const amount = `${10 + index}.${String(index % 100).padStart(2, "0")}`;
      // While the app restarts, Shopify's request gets no answer (or the simulator cannot even send it): a checkout
      // not started is started again, and a session request not answered is resent with the same id, as Shopify does.
      const deadline = Date.now() + 180_000;
      let answer = await tracked("sessionRequests", () => world.checkout(amount));
      while (!answer.body.id && Date.now() < deadline) {
        await sleep(500);
        answer = await tracked("sessionRequests", () => world.checkout(amount));
      }
      const id = answer.body.id;
      if (!id) throw new Error(`checkout not started: ${JSON.stringify(answer)}`);
      while (answer.body.status !== 201 && Date.now() < deadline) {
        await sleep(world.app?.exitCode === null ? 200 : 500);
        answer = await tracked("sessionRequests", () => world.resendCheckout(id));
      }
      expect(answer.body.status, `checkout ${id}`).toBe(201);
      ids.push(id);
      if (index % 10 < 7) {
        // 70 % of buyers pay; of those, one in ten notifications is sent twice and one in ten is lost.
        const shown = await world.cipShownToBuyer(answer.body.redirect_url ?? "", id);
        if (shown.via === "email") unconfirmed += 1;
        // The creation's request never reached PagoEfectivo before the kill: no CIP exists, nothing to pay.
        if (shown.cip === null) return;
        const cip = shown.cip;
        // A lost notification of a CIP whose creation answer was lost cannot be found by the app: PagoEfectivo's
        // v1 search needs the CIP number (it is left to the settlement import), so that notification is delivered.
        const kind = index % 10 === 0 ? "duplicate" : index % 10 === 1 && shown.via === "page" ? "lost" : "normal";
        const body = kind === "duplicate" ? { duplicates: 1 } : kind === "lost" ? { notify: false } : {};
        // The emulator answers once its first delivery of the notification got the app's answer (or none).
        const payment = await tracked("notifications", () => world.emulator("POST", `/cips/${cip}/pay`, body));
        expect(payment.status, JSON.stringify(payment.body)).toBe(200);
        paid.add(id);
        if (kind === "duplicate") duplicates += 1;
        if (kind === "lost") lost += 1;
        // The same limit when a kill took both of PagoEfectivo's tries (the first, and its one retry 2 s later, while
        // the app restarts): the payment is left to the settlement import. The harness stands in for it and sends the
        // notification again once the app is back, and counts it.
        if (shown.via === "email" && !(await notificationDelivered(cip))) {
          renotified += 1;
          await waitFor(async () => {
            await world.emulator("POST", `/cips/${cip}/notify`);
            return notificationDelivered(cip);
          }, 120_000, 1_000);
        }
      }
    };

    await pool(
      Array.from({ length: CHECKOUTS }, (_, i) => i),
      CONCURRENCY,
      checkoutOnce,
    );
    await killer;
    const streamSeconds = Math.round((Date.now() - startedAt) / 1000);
    expect(world.figures.kills).toBe(KILLS);
    // Every kill cut work in flight: session requests or notifications the harness had sent, and deliveries queued
    // or running in the app's outbox.
    expect(atKills.every((k) => k.sessionRequests + k.notifications > 0), JSON.stringify(atKills)).toBe(true);
    expect(atKills.reduce((sum, k) => sum + Math.max(0, k.outboxPending), 0), JSON.stringify(atKills)).toBeGreaterThan(0);

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
    ).catch(() => undefined);

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
    record(`crash-${testEngine()}`, {
      checkouts: ids.length,
      paid: paid.size,
      duplicateNotifications: duplicates,
      lostNotifications: lost,
      kills: world.figures.kills,
      sessionRequestsInFlightAtKills: atKills.reduce((sum, k) => sum + k.sessionRequests, 0),
      notificationsInFlightAtKills: atKills.reduce((sum, k) => sum + k.notifications, 0),
      outboxPendingAtKills: atKills.reduce((sum, k) => sum + Math.max(0, k.outboxPending), 0),
      unconfirmedCreations: unconfirmed,
      renotifiedAfterKill: renotified,
      orphanCips: orphans,
      lost: missing,
      doubled,
      stuck: sessions.filter((s) => s.state === "pending").length,
      streamSeconds,
      seconds: Math.round((Date.now() - startedAt) / 1000),
    });
    // A session not where it should be, described for the failure message.
    const wrong = sessions.filter((s) => s.state !== (paid.has(s.id) ? "resolved" : "rejected"));
    const described = wrong.slice(0, 5).map((s) => ({ id: s.id, paid: paid.has(s.id), state: s.state, mutations: s.mutations.map((m) => `${m.name}:${m.result}${m.fault ? `:${m.fault}` : ""}`) }));
    expect(
      { missing, doubled, orphans, wrongState: wrong.length, notAtShopify: ids.length - sessions.length },
      `${JSON.stringify(described, null, 1)}\n${world.tail()}`,
    ).toEqual({ missing: 0, doubled: 0, orphans: 0, wrongState: 0, notAtShopify: 0 });
  }, TIME_LIMIT_MS);
});
