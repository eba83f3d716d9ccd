import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it, vi } from "vitest";

import { nextRetryDelayMs } from "../../../app/domain/retry-policy";
import { OutboxWorker, type OutboxWorkerOptions } from "../../../app/jobs/outbox-worker";
import { FixedClock } from "../../../app/lib/clock";
import { createLogger, silentLogger } from "../../../app/lib/logger";
import type { JobHandler, JobOutcome, NewOutboxJob, OutboxJob } from "../../../app/ports/outbox";
import { InMemoryOutboxRepository } from "../../fakes/in-memory-outbox-repository";

const T0 = new Date("2026-03-01T15:00:00.000Z");
const SECOND = 1_000;
const HOUR = 3_600_000;

function newJob(n = 1, overrides: Partial<NewOutboxJob> = {}): NewOutboxJob {
  return {
    kind: "payment_session.resolve",
    shopId: "shop_1",
    payload: { gid: `gid://shopify/PaymentSession/${n}` },
    dedupeKey: `payment_session.resolve:${n}`,
    ...overrides,
  };
}

function setup(handler: JobHandler | undefined, options: Partial<OutboxWorkerOptions> & { clock?: FixedClock } = {}) {
  // One clock for the worker and the repository (which stands in for the database and its clock).
  const clock = options.clock ?? new FixedClock(T0);
  const repository = new InMemoryOutboxRepository(clock);
  const worker = new OutboxWorker({
    repository,
    handlers: handler ? { "payment_session.resolve": handler } : {},
    clock,
    logger: silentLogger,
    workerId: "worker-a",
    random: () => 1,
    ...options,
  });
  return { clock, repository, worker };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const done = (detail = "resolved"): JobOutcome => ({ outcome: "done", detail });
const retry = (detail: string): JobOutcome => ({ outcome: "retry", detail });

describe("OutboxWorker: outcomes", () => {
  it("done: completes the job and records one attempt", async () => {
    const seen: OutboxJob[] = [];
    const { repository, worker } = setup(async (job) => {
      seen.push(job);
      return done();
    });
    const { job } = await repository.enqueue(newJob());

    expect(await worker.runOnce()).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: job.id, attempts: 0, payload: { gid: "gid://shopify/PaymentSession/1" } });
    expect(repository.job(job.id)).toMatchObject({ status: "done", attempts: 1, leaseOwner: null });
    expect(repository.attempts(job.id)).toEqual([{ at: T0, outcome: "done", detail: "resolved" }]);
    expect(await worker.runOnce()).toBe(0);
  });

  it("retry: reschedules at now + the backoff delay and runs again only when that time comes", async () => {
    const calls: number[] = [];
    const { clock, repository, worker } = setup(
      async (job) => {
        calls.push(job.attempts);
        return calls.length === 1 ? retry("Shopify answered HTTP 503") : done();
      },
      { random: () => 0.5 },
    );
    const { job } = await repository.enqueue(newJob());

    expect(await worker.runOnce()).toBe(1);
    // First failure: 5 s with equal jitter at 0.5 -> 3.75 s.
    expect(repository.job(job.id)).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: new Date(T0.getTime() + 3_750) });
    expect(repository.attempts(job.id)).toEqual([{ at: T0, outcome: "retry", detail: "Shopify answered HTTP 503" }]);

    expect(await worker.runOnce()).toBe(0);
    clock.advance(3.749);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(0.001);
    expect(await worker.runOnce()).toBe(1);
    expect(calls).toEqual([0, 1]);
    expect(repository.job(job.id)?.status).toBe("done");
  });

  it("failed: fails the job for good", async () => {
    const { clock, repository, worker } = setup(async () => ({ outcome: "failed", detail: "userErrors: already rejected" }));
    const { job } = await repository.enqueue(newJob());

    expect(await worker.runOnce()).toBe(1);
    expect(repository.job(job.id)?.status).toBe("failed");
    expect(repository.attempts(job.id)).toEqual([{ at: T0, outcome: "failed", detail: "userErrors: already rejected" }]);
    clock.advance(100 * 3600);
    expect(await worker.runOnce()).toBe(0);
  });

  it("a job without a handler is failed with a detail naming its kind", async () => {
    const { repository, worker } = setup(async () => done());
    const { job } = await repository.enqueue(newJob(1, { kind: "cip.delete", dedupeKey: "cip.delete:1" }));

    expect(await worker.runOnce()).toBe(1);
    expect(repository.job(job.id)?.status).toBe("failed");
    expect(repository.attempts(job.id)[0]?.detail).toBe('no handler registered for job kind "cip.delete"');
  });

  it("a handler that throws is retried and logged as a bug", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    const { repository, worker } = setup(
      async () => {
        throw new Error("cannot read properties of undefined");
      },
      { logger },
    );
    const { job } = await repository.enqueue(newJob());

    expect(await worker.runOnce()).toBe(1);
    expect(repository.job(job.id)).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: new Date(T0.getTime() + 5_000) });
    expect(repository.attempts(job.id)[0]).toMatchObject({
      outcome: "retry",
      detail: "handler threw: Error: cannot read properties of undefined",
    });
    const bug = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 50);
    expect(bug).toMatchObject({ jobId: job.id, kind: "payment_session.resolve", msg: expect.stringContaining("bug") });
    expect(JSON.stringify(bug?.err)).toContain("cannot read properties of undefined");
  });

  it("a handler that meets a database outage: warned as such (not a bug), no attempt counted, handed back and run again once the database answers", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    const outage = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    let calls = 0;
    const { clock, repository, worker } = setup(
      async () => {
        calls += 1;
        // Each run reaches Shopify (idempotent there), then the first two fail to write the result.
        if (calls <= 2) throw outage();
        return done();
      },
      { logger, leaseMs: 60_000 },
    );
    const { job } = await repository.enqueue(newJob());

    expect(await worker.runOnce()).toBe(1);
    // Handed back as it was: no attempt row, the counter untouched, due at once, lease free.
    expect(repository.job(job.id)).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: T0, leaseOwner: null });
    expect(repository.attempts(job.id)).toEqual([]);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(logged.find((l) => l.level === 40)).toMatchObject({ jobId: job.id, msg: expect.stringContaining("database is unavailable") });
    expect(lines.join("")).not.toContain("bug");

    // While the database is away the hand-back fails too: the lease runs out instead, still no attempt counted.
    const release = vi.spyOn(repository, "release").mockRejectedValueOnce(outage());
    expect(await worker.runOnce()).toBe(1);
    expect(release).toHaveBeenCalledTimes(1);
    expect(repository.job(job.id)).toMatchObject({ status: "pending", attempts: 0, leaseOwner: "worker-a" });
    expect(await worker.runOnce()).toBe(0);

    // The database is back and the lease over: delivered, recorded done exactly once, with its one attempt.
    release.mockRestore();
    clock.advance(61);
    expect(await worker.runOnce()).toBe(1);
    expect(calls).toBe(3);
    expect(repository.job(job.id)).toMatchObject({ status: "done", attempts: 1 });
    expect(repository.attempts(job.id)).toEqual([{ at: clock.now(), outcome: "done", detail: "resolved" }]);
    expect(await worker.runOnce()).toBe(0);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it("a claim that meets a database outage is warned as such, not as an error", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    const { repository, worker } = setup(async () => done(), { logger, pollIntervalMs: 10 });
    vi.spyOn(repository, "claimDue").mockRejectedValueOnce(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
    worker.start();
    try {
      await vi.waitFor(() => expect(lines.length).toBeGreaterThan(0));
    } finally {
      await worker.stop();
    }
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(logged.find((l) => l.level === 40)).toMatchObject({ msg: expect.stringContaining("database is unavailable") });
  });

  it("a handler returning something that is not an outcome is retried", async () => {
    const { repository, worker } = setup((async () => ({ outcome: "maybe" })) as unknown as JobHandler);
    const { job } = await repository.enqueue(newJob());
    await worker.runOnce();
    expect(repository.attempts(job.id)[0]).toMatchObject({ outcome: "retry", detail: "handler returned an invalid outcome" });
  });
});

describe("OutboxWorker: backoff and the 30 h window", () => {
  it("follows the backoff schedule as the clock advances, then gives up at 30 h", async () => {
    let calls = 0;
    const { clock, repository, worker } = setup(async () => retry(`HTTP 503 on call ${++calls}`));
    const { job } = await repository.enqueue(newJob());

    for (let guard = 0; guard < 100; guard += 1) {
      const current = repository.job(job.id);
      if (current?.status !== "pending") break;
      // Not a millisecond early...
      clock.set(new Date(current.nextAttemptAt.getTime() - 1));
      expect(await worker.runOnce()).toBe(0);
      // ...and exactly on time.
      clock.set(current.nextAttemptAt);
      expect(await worker.runOnce()).toBe(1);
    }

    const attempts = repository.attempts(job.id);
    const offsets = attempts.map((a) => a.at.getTime() - T0.getTime());
    // With random = 1 every wait is the full capped delay: 5 s, 10 s, 20 s, ... 5 h, cut at 30 h.
    const expected = [0];
    for (let n = 1; expected.length < 18; n += 1) {
      const last = expected[expected.length - 1] ?? 0;
      expected.push(Math.min(last + nextRetryDelayMs(n, () => 1), 30 * HOUR));
    }
    expect(offsets).toEqual(expected);
    expect(offsets.slice(0, 5)).toEqual([0, 5 * SECOND, 15 * SECOND, 35 * SECOND, 75 * SECOND]);
    expect(attempts).toHaveLength(18);
    expect(attempts.slice(0, -1).every((a) => a.outcome === "retry")).toBe(true);
    expect(attempts.at(-1)).toEqual({ at: new Date(T0.getTime() + 30 * HOUR), outcome: "failed", detail: "gave up after ~30 h: HTTP 503 on call 18" });
    expect(repository.job(job.id)?.status).toBe("failed");
  });

  it("a job first tried after the window (the app was down) is tried once and then given up", async () => {
    const { clock, repository, worker } = setup(async () => retry("network: fetch failed"));
    const { job } = await repository.enqueue(newJob());
    clock.advance(31 * 3600);

    expect(await worker.runOnce()).toBe(1);
    expect(repository.attempts(job.id)).toEqual([
      { at: clock.now(), outcome: "failed", detail: "gave up after ~30 h: network: fetch failed" },
    ]);
  });

  it("success late in the window still completes", async () => {
    let calls = 0;
    const { clock, repository, worker } = setup(async () => (++calls < 3 ? retry("throttled") : done()));
    const { job } = await repository.enqueue(newJob());
    await worker.runOnce();
    clock.advance(29 * 3600);
    await worker.runOnce();
    clock.advance(0.9 * 3600);
    await worker.runOnce();
    expect(repository.job(job.id)?.status).toBe("done");
  });
});

describe("OutboxWorker: leases and several workers", () => {
  it("a crashed worker's job becomes claimable when its lease runs out and is completed exactly once", async () => {
    const stuck = deferred<JobOutcome>();
    const handledBy: string[] = [];
    const clock = new FixedClock(T0);
    const repository = new InMemoryOutboxRepository(clock);
    const make = (workerId: string, handler: JobHandler) =>
      new OutboxWorker({
        repository,
        handlers: { "payment_session.resolve": handler },
        clock,
        logger: silentLogger,
        workerId,
        leaseMs: 60_000,
      });
    // Worker A hangs in its handler (a frozen process, a partition): as far as the others can tell, it crashed.
    const a = make("worker-a", async () => {
      handledBy.push("a");
      return stuck.promise;
    });
    const b = make("worker-b", async () => {
      handledBy.push("b");
      return done("resolved by b");
    });
    const { job } = await repository.enqueue(newJob());

    const runA = a.runOnce();
    await vi.waitFor(() => expect(handledBy).toEqual(["a"]));
    expect(repository.job(job.id)).toMatchObject({ leaseOwner: "worker-a", leaseUntil: new Date(T0.getTime() + 60_000) });

    expect(await b.runOnce()).toBe(0);
    clock.advance(59.999);
    expect(await b.runOnce()).toBe(0);
    clock.advance(0.001);
    expect(await b.runOnce()).toBe(1);
    expect(repository.job(job.id)?.status).toBe("done");

    // A wakes up and reports; the repository ignores a worker that lost its lease.
    stuck.resolve(retry("late answer from a"));
    expect(await runA).toBe(1);
    expect(handledBy).toEqual(["a", "b"]);
    expect(repository.job(job.id)).toMatchObject({ status: "done", attempts: 1, claims: 2 });
    expect(repository.attempts(job.id)).toEqual([{ at: clock.now(), outcome: "done", detail: "resolved by b" }]);
    // A's call happened, so it is on the record too, with who made it and that its lease was gone.
    expect(repository.allAttempts(job.id).map((a) => [a.workerId, a.outcome, a.leaseLost])).toEqual([
      ["worker-b", "done", false],
      ["worker-a", "retry", true],
    ]);

    // Nothing is left for anyone.
    clock.advance(3600);
    expect(await a.runOnce()).toBe(0);
    expect(await b.runOnce()).toBe(0);
  });

  it("a worker that died right after claiming: another worker delivers the job after the lease", async () => {
    const { clock, repository, worker } = setup(async () => done("delivered"));
    const { job } = await repository.enqueue(newJob());
    const claimed = await repository.claimDue({ now: T0, limit: 10, leaseMs: 60_000, workerId: "dead" });
    expect(claimed.map((j) => j.id)).toEqual([job.id]);

    expect(await worker.runOnce()).toBe(0);
    clock.advance(60);
    expect(await worker.runOnce()).toBe(1);
    await repository.fail({ jobId: job.id, workerId: "dead", attempt: { at: clock.now(), outcome: "failed", detail: "ghost" } });
    expect(repository.job(job.id)?.status).toBe("done");
    expect(repository.attempts(job.id)).toHaveLength(1);
  });

  it("two workers draining one repository never run the same job at the same time, and run each once", async () => {
    const clock = new FixedClock(T0);
    const repository = new InMemoryOutboxRepository(clock);
    const running = new Set<string>();
    const runs = new Map<string, number>();
    const byWorker = { "worker-a": 0, "worker-b": 0 };
    let overlaps = 0;
    const handlerFor =
      (workerId: keyof typeof byWorker): JobHandler =>
      async (job) => {
        if (running.has(job.id)) overlaps += 1;
        running.add(job.id);
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        byWorker[workerId] += 1;
        await sleep(Math.floor(Math.random() * 4));
        running.delete(job.id);
        return done();
      };
    const make = (workerId: keyof typeof byWorker) =>
      new OutboxWorker({
        repository,
        handlers: { "payment_session.resolve": handlerFor(workerId) },
        clock,
        logger: silentLogger,
        workerId,
        batchSize: 5,
        concurrency: 3,
        pollIntervalMs: 2,
      });
    for (let n = 1; n <= 60; n += 1) {
      await repository.enqueue(newJob(n));
    }
    const a = make("worker-a");
    const b = make("worker-b");

    // Both loops and direct runs at once.
    a.start();
    b.start();
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    await vi.waitFor(() => expect(repository.jobs().every((j) => j.status === "done")).toBe(true), { timeout: 5_000 });
    await Promise.all([a.stop(), b.stop()]);

    expect(overlaps).toBe(0);
    expect(runs.size).toBe(60);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(byWorker["worker-a"]).toBeGreaterThan(0);
    expect(byWorker["worker-b"]).toBeGreaterThan(0);
    expect(repository.jobs().every((j) => j.attempts === 1 && j.claims === 1)).toBe(true);
  });

  it("leaves a job it could not start in the first half of its lease (measured on the monotonic clock)", async () => {
    const clock = new FixedClock(T0);
    const started: string[] = [];
    const { repository, worker } = setup(
      async (job) => {
        started.push(job.id);
        // The first job is slow: 40 s of a 60 s lease.
        if (started.length === 1) clock.advance(40);
        return done();
      },
      { clock, concurrency: 1, leaseMs: 60_000, monotonicMs: () => clock.now().getTime() },
    );
    const first = await repository.enqueue(newJob(1));
    const second = await repository.enqueue(newJob(2));

    expect(await worker.runOnce()).toBe(1);
    expect(started).toEqual([first.job.id]);
    // Handed back at once (not left to its lease): free for the next run, here or on another instance.
    expect(repository.job(second.job.id)).toMatchObject({ status: "pending", attempts: 0 });
    expect(repository.job(second.job.id)?.leaseOwner ?? null).toBeNull();
    expect(await worker.runOnce()).toBe(1);
    expect(repository.job(second.job.id)?.status).toBe("done");
  });
  it("starts every claimed job when the business clock jumps ahead meanwhile (the sandbox clock is not the lease's)", async () => {
    const clock = new FixedClock(T0);
    const started: string[] = [];
    const { repository, worker } = setup(
      async (job) => {
        started.push(job.id);
        // POST /sandbox/clock moves business time 5 minutes ahead while the batch runs; no real time goes by.
        if (started.length === 1) clock.advance(300);
        return done();
      },
      { clock, concurrency: 1, leaseMs: 60_000 },
    );
    await repository.enqueue(newJob(1));
    await repository.enqueue(newJob(2));

    expect(await worker.runOnce()).toBe(2);
    expect(started).toHaveLength(2);
  });
});

describe("OutboxWorker: concurrency and lifecycle", () => {
  it("runs at most `concurrency` handlers at once and claims at most `batchSize` jobs", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { repository, worker } = setup(
      async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(2);
        inFlight -= 1;
        return done();
      },
      { concurrency: 2, batchSize: 7 },
    );
    for (let n = 1; n <= 10; n += 1) await repository.enqueue(newJob(n));

    expect(await worker.runOnce()).toBe(7);
    expect(maxInFlight).toBe(2);
    expect(await worker.runOnce()).toBe(3);
  });

  it("does not overlap runs: a second runOnce waits for the first, then makes its own run", async () => {
    const gate = deferred<void>();
    const started: number[] = [];
    const { repository, worker } = setup(async (job) => {
      started.push(job.attempts);
      if (started.length === 1) await gate.promise;
      return done();
    });
    await repository.enqueue(newJob(1));
    const first = worker.runOnce();
    await vi.waitFor(() => expect(started).toHaveLength(1));

    await repository.enqueue(newJob(2));
    const second = worker.runOnce();
    await sleep(20);
    expect(started).toHaveLength(1);

    gate.resolve();
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(repository.jobs().map((j) => j.status)).toEqual(["done", "done"]);
  });

  it("stop() waits for the job in flight and then nothing else runs", async () => {
    const gate = deferred<JobOutcome>();
    let calls = 0;
    const { repository, worker } = setup(
      async () => {
        calls += 1;
        return gate.promise;
      },
      { pollIntervalMs: 5 },
    );
    const { job } = await repository.enqueue(newJob(1));
    worker.start();
    await vi.waitFor(() => expect(calls).toBe(1));

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await sleep(30);
    expect(stopped).toBe(false);

    gate.resolve(done());
    await stopping;
    expect(repository.job(job.id)?.status).toBe("done");

    await repository.enqueue(newJob(2));
    worker.wake();
    expect(await worker.runOnce()).toBe(0);
    await sleep(30);
    expect(calls).toBe(1);
  });

  it("stop() releases claimed jobs that have not started, so another worker takes them at once", async () => {
    const gate = deferred<JobOutcome>();
    const started: string[] = [];
    const { clock, repository, worker } = setup(
      async (job) => {
        started.push(job.id);
        return gate.promise;
      },
      { concurrency: 1, batchSize: 3 },
    );
    for (let n = 1; n <= 3; n += 1) await repository.enqueue(newJob(n));
    const run = worker.runOnce();
    await vi.waitFor(() => expect(started).toHaveLength(1));

    const stopping = worker.stop();
    await vi.waitFor(() => expect(repository.jobs().filter((j) => j.leaseOwner === null)).toHaveLength(2));
    gate.resolve(done());
    expect(await stopping).toEqual({ drained: true, released: 2 });
    expect(await run).toBe(1);
    expect(repository.jobs().map((j) => j.status)).toEqual(["done", "pending", "pending"]);

    const other = new OutboxWorker({ repository, handlers: { "payment_session.resolve": async () => done() }, clock, logger: silentLogger, workerId: "worker-b" });
    expect(await other.runOnce()).toBe(2);
    expect(repository.jobs().map((j) => [j.status, j.claims])).toEqual([["done", 1], ["done", 2], ["done", 2]]);
  });

  it("stop({ graceMs }) gives up waiting for a hung handler and leaves its lease to run out", async () => {
    const { repository, worker } = setup(() => new Promise<JobOutcome>(() => undefined));
    const { job } = await repository.enqueue(newJob());
    void worker.runOnce();
    await vi.waitFor(() => expect(repository.job(job.id)?.leaseOwner).toBe("worker-a"));
    expect(await worker.stop({ graceMs: 20 })).toEqual({ drained: false, released: 0 });
    expect(repository.job(job.id)).toMatchObject({ status: "pending", leaseOwner: "worker-a" });
  });

  it("wake() delivers a fresh job without waiting for the poll interval", async () => {
    const { repository, worker } = setup(async () => done(), { pollIntervalMs: 60_000 });
    worker.start();
    await sleep(20); // the first poll has run and found nothing
    const { job } = await repository.enqueue(newJob());
    worker.wake();
    await vi.waitFor(() => expect(repository.job(job.id)?.status).toBe("done"), { timeout: 1_000, interval: 5 });
    await worker.stop();
  });

  it("keeps draining while batches come back full", async () => {
    const { repository, worker } = setup(async () => done(), { pollIntervalMs: 60_000, batchSize: 3 });
    for (let n = 1; n <= 10; n += 1) await repository.enqueue(newJob(n));
    worker.start();
    await vi.waitFor(() => expect(repository.jobs().every((j) => j.status === "done")).toBe(true), { timeout: 1_000, interval: 5 });
    await worker.stop();
  });

  it("refuses nonsense options", () => {
    expect(() => setup(undefined, { concurrency: 0 })).toThrow(RangeError);
    expect(() => setup(undefined, { batchSize: 1.5 })).toThrow(RangeError);
  });
});

describe("InMemoryOutboxRepository", () => {
  it("keeps the first job for a dedupeKey", async () => {
    const repository = new InMemoryOutboxRepository(new FixedClock(T0));
    const first = await repository.enqueue(newJob(1));
    const again = await repository.enqueue({ ...newJob(1), payload: { other: true } });
    expect(first.created).toBe(true);
    expect(again).toEqual({ job: first.job, created: false });
    expect(repository.jobs()).toHaveLength(1);
  });

  it("does not hand out a job before runAt, and orders by due time", async () => {
    const repository = new InMemoryOutboxRepository(new FixedClock(T0));
    const later = await repository.enqueue(newJob(1, { runAt: new Date(T0.getTime() + 10_000) }));
    const now = await repository.enqueue(newJob(2));
    const lease = { limit: 10, leaseMs: 60_000, workerId: "w" };
    expect((await repository.claimDue({ now: T0, ...lease })).map((j) => j.id)).toEqual([now.job.id]);
    const at = new Date(T0.getTime() + 10_000);
    expect((await repository.claimDue({ ...lease, now: at })).map((j) => j.id)).toEqual([
      later.job.id,
    ]);
  });

  it("ignores complete, reschedule and fail from a worker that does not hold the lease", async () => {
    const repository = new InMemoryOutboxRepository(new FixedClock(T0));
    const { job } = await repository.enqueue(newJob());
    const attempt = { at: T0, outcome: "done" as const, detail: "x" };
    await repository.complete({ jobId: job.id, workerId: "nobody", attempt });
    await repository.claimDue({ now: T0, limit: 1, leaseMs: 1_000, workerId: "owner" });
    await repository.reschedule({ jobId: job.id, workerId: "intruder", nextAttemptAt: T0, attempt });
    await repository.fail({ jobId: job.id, workerId: "intruder", attempt });
    expect(repository.job(job.id)).toMatchObject({ status: "pending", attempts: 0, leaseOwner: "owner" });
    await repository.complete({ jobId: job.id, workerId: "owner", attempt });
    expect(repository.job(job.id)).toMatchObject({ status: "done", attempts: 1, leaseOwner: null });
  });
});
