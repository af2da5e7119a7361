import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PLAYBOOK } from "~/playbook/defaults";
import { directDb } from "~/db-direct.server";
import { appendEvents } from "~/models/timeline.server";
import { ensurePlaybook } from "~/models/triggers.server";
import { scoreDirtySubscribers } from "~/rescore/index.server";
import {
  DAY,
  T0,
  at,
  createSubscriber,
  event,
  fireSkipStreak,
  prisma,
  scoreAndFire,
  settledHistory,
  subscriberIdFor,
} from "../plays/support";

let shop = "";
let n = 0;
beforeEach(() => {
  shop = `engine-${++n}.myshopify.com`;
});

const skipsAt = (now: Date) => [
  ...settledHistory(),
  event("cycle.skipped", new Date(now.getTime() - 3 * DAY)),
  event("cycle.skipped", new Date(now.getTime() - 2 * DAY)),
];

// The playbook as the rescore stage runs it: firings dated when their condition turned
// true by the events, with their plays, tasks and jobs written in the same transaction.
describe("firings from the rescore stage", () => {
  it("seeds the default playbook on first use, once", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    await scoreAndFire(shop, id, settledHistory(), T0);
    await prisma.$transaction((tx) => ensurePlaybook(tx, shop));
    await scoreAndFire(shop, id, settledHistory(), at(1));
    const keys = (await prisma.trigger.findMany({ where: { shop } })).map((t) => t.key).sort();
    expect(keys).toEqual(DEFAULT_PLAYBOOK.map((t) => t.id).sort());
  });

  it("fires on the edge: two skips fire once, and the same state scored again fires nothing", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    await scoreAndFire(shop, id, settledHistory(), at(-1));
    expect(await prisma.firing.count({ where: { shop } })).toBe(0);

    await scoreAndFire(shop, id, skipsAt(T0), T0);
    const firing = await prisma.firing.findFirstOrThrow({ where: { shop, triggerKey: "skip-streak" } });
    expect(JSON.parse(firing.snapshot).consecutiveSkips).toBe(2);
    // Dated at the second skip, not when the worker got to it.
    expect(firing).toMatchObject({ subscriberId: id, holdout: false, firedAt: at(-2), outcomeDueAt: at(58) });
    expect(JSON.parse(firing.reasons)).toEqual(["Skipped 2 deliveries in a row"]);

    await scoreAndFire(shop, id, skipsAt(T0), at(1));
    expect(await prisma.firing.count({ where: { shop, triggerKey: "skip-streak" } })).toBe(1);
  });

  it("puts the firing's Klaviyo play and its delivery job in the outbox", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    await fireSkipStreak(shop, id, T0);
    const firing = await prisma.firing.findFirstOrThrow({ where: { shop, triggerKey: "skip-streak" } });
    const play = await prisma.playDelivery.findFirstOrThrow({ where: { firingId: firing.id } });
    expect(play).toMatchObject({
      shop,
      kind: "klaviyo_event",
      metric: "Lifeline: Skip Streak",
      uniqueId: `lifeline:skip-streak:${id}:${at(-2).getTime()}`,
      status: "pending",
    });
    const payload = JSON.parse(play.payload);
    expect(payload.properties).toMatchObject({ trigger: "skip-streak", skip_count: 2, contract_id: "c1" });
    expect(payload.time).toBe(at(-2).toISOString());
    const job = await prisma.job.findUniqueOrThrow({ where: { queue_key: { queue: "play", key: play.id } } });
    expect(job).toMatchObject({ shop, status: "pending", runAt: T0 });
  });

  it("writes firing, play and job in one transaction: a failed write leaves none of them and is retried with backoff", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    await scoreAndFire(shop, id, settledHistory(), at(-4));
    const db = directDb();
    // The play insert fails, after the score, history and firing were written in the same transaction.
    db.exec(`CREATE TRIGGER fail_play BEFORE INSERT ON "PlayDelivery" BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END`);
    try {
      await appendEvents(prisma, shop, id, skipsAt(T0).slice(-2).map((e, i) => ({ ...e, sourceKey: `skip-${i}` })));
      await scoreDirtySubscribers(T0);
    } finally {
      db.exec(`DROP TRIGGER fail_play`);
    }
    expect(await prisma.firing.count({ where: { shop } })).toBe(0);
    expect(await prisma.playDelivery.count({ where: { shop } })).toBe(0);
    expect(await prisma.job.count({ where: { shop } })).toBe(0);
    // The score still stands where the last good rescore left it, before the two skips.
    expect((await prisma.healthScore.findUniqueOrThrow({ where: { subscriberId: id } })).stepAt!.getTime()).toBeLessThan(T0.getTime());
    const kept = await prisma.subscriber.findUniqueOrThrow({ where: { id } });
    expect(kept.scoreDirtyAt).not.toBeNull();
    expect(kept.scoreFailures).toBe(1);
    expect(kept.scoreRetryAt!.getTime()).toBeGreaterThan(T0.getTime());

    // Not before its retry time; then written once, as if nothing had failed.
    expect(await scoreDirtySubscribers(T0)).toBe(0);
    expect(await scoreDirtySubscribers(kept.scoreRetryAt!)).toBe(1);
    const firing = await prisma.firing.findFirstOrThrow({ where: { shop, triggerKey: "skip-streak" } });
    expect(firing.firedAt).toEqual(at(-2));
    expect(await prisma.playDelivery.count({ where: { firingId: firing.id } })).toBe(1);
    const settled = await prisma.subscriber.findUniqueOrThrow({ where: { id } });
    expect(settled).toMatchObject({ scoreDirtyAt: null, scoreFailures: 0, scoreRetryAt: null });
  });

  it("a retried transaction with the same time writes nothing twice", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    await scoreAndFire(shop, id, settledHistory(), at(-1));
    await scoreAndFire(shop, id, skipsAt(T0), T0);
    await scoreAndFire(shop, id, skipsAt(T0), T0);
    expect(await prisma.firing.count({ where: { shop, triggerKey: "skip-streak" } })).toBe(1);
    expect(await prisma.playDelivery.count({ where: { shop } })).toBe(await prisma.firing.count({ where: { shop } }));
    expect(await prisma.job.count({ where: { shop, queue: "play" } })).toBe(await prisma.playDelivery.count({ where: { shop } }));
  });

  it("a holdout subscriber's firing is recorded as holdout, with no play owed", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", true));
    await fireSkipStreak(shop, id, T0);
    const firing = await prisma.firing.findFirstOrThrow({ where: { shop, triggerKey: "skip-streak" } });
    expect(firing.holdout).toBe(true);
    expect(await prisma.playDelivery.count({ where: { firingId: firing.id } })).toBe(0);
  });

  it("a subscriber without an email still fires and gets tasks, but no Klaviyo play", async () => {
    const id = await createSubscriber(shop, `${shop}-no-email`, { email: null });
    await scoreAndFire(shop, id, settledHistory(), at(-1));
    const declined = [...settledHistory(), event("billing.failed", at(-0.5), { errorCode: "EXPIRED_PAYMENT_METHOD" })];
    await scoreAndFire(shop, id, declined, T0);
    const firing = await prisma.firing.findFirstOrThrow({ where: { shop, triggerKey: "payment-failed-hard" } });
    expect(await prisma.playDelivery.count({ where: { shop } })).toBe(0);
    expect(await prisma.job.count({ where: { shop } })).toBe(0);
    const task = await prisma.task.findUniqueOrThrow({ where: { firingId: firing.id } });
    expect(task).toMatchObject({
      shop,
      subscriberId: id,
      title: "Payment failed (card must be updated)",
      suggestedAction: "Contact the subscriber and ask them to update their payment method.",
      owner: "Store owner",
      priority: "urgent",
      dueAt: at(0.5), // a day after the decline
      status: "open",
    });
    expect(JSON.parse(task.reasons)).toEqual(["Payment failed (hard decline: EXPIRED_PAYMENT_METHOD)"]);
  });

  it("honours the shop's weekly cap from its settings", async () => {
    await prisma.shopSettings.create({ data: { shop, maxPlaysPerWeek: 1 } });
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    await scoreAndFire(shop, id, settledHistory(), at(-1));
    // A hard decline at the moment of the second skip: two triggers' conditions turn true together.
    const both = [...skipsAt(T0), event("billing.failed", at(-2), { errorCode: "EXPIRED_PAYMENT_METHOD" })];
    await scoreAndFire(shop, id, both, T0);
    const keys = (await prisma.firing.findMany({ where: { shop } })).map((f) => f.triggerKey);
    expect(keys).toEqual(["payment-failed-hard"]); // the most urgent wins the only slot
  });
});
