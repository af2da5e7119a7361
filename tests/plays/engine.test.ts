import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PLAYBOOK } from "~/playbook/defaults";
import { ensurePlaybook } from "~/models/triggers.server";
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
} from "./support";

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

describe("onScored", () => {
  it("seeds the default playbook on first use, once", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    await scoreAndFire(shop, id, settledHistory(), null, T0);
    await prisma.$transaction((tx) => ensurePlaybook(tx, shop));
    await scoreAndFire(shop, id, settledHistory(), null, at(1));
    const keys = (await prisma.trigger.findMany({ where: { shop } })).map((t) => t.key).sort();
    expect(keys).toEqual(DEFAULT_PLAYBOOK.map((t) => t.id).sort());
  });

  it("fires on the edge: two skips fire once, and the same state scored again fires nothing", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    const settled = await scoreAndFire(shop, id, settledHistory(), null, at(-1));
    expect(await prisma.firing.count({ where: { shop } })).toBe(0);

    const afterSkips = await scoreAndFire(shop, id, skipsAt(T0), settled, T0);
    expect(afterSkips.consecutiveSkips).toBe(2);
    const firing = await prisma.firing.findFirstOrThrow({ where: { shop, triggerKey: "skip-streak" } });
    expect(firing).toMatchObject({ subscriberId: id, holdout: false, firedAt: T0, outcomeDueAt: at(60) });
    expect(JSON.parse(firing.reasons)).toEqual(["Skipped 2 deliveries in a row"]);

    await scoreAndFire(shop, id, skipsAt(T0), afterSkips, at(1));
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
      uniqueId: `lifeline:skip-streak:${id}:${T0.getTime()}`,
      status: "pending",
    });
    const payload = JSON.parse(play.payload);
    expect(payload.properties).toMatchObject({ trigger: "skip-streak", skip_count: 2, contract_id: "c1" });
    expect(payload.time).toBe(T0.toISOString());
    const job = await prisma.job.findUniqueOrThrow({ where: { queue_key: { queue: "play", key: play.id } } });
    expect(job).toMatchObject({ shop, status: "pending", runAt: T0 });
  });

  it("writes firing, play and job in the caller's transaction: a rollback leaves none of them", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    const settled = await scoreAndFire(shop, id, settledHistory(), null, at(-1));
    const { onScored } = await import("~/playbook/engine.server");
    const { defaultHealthConfig, score } = await import("~/health");
    const { factsFor } = await import("./support");
    const timeline = skipsAt(T0);
    const facts = factsFor();
    const result = score(timeline, facts, defaultHealthConfig, T0);
    await expect(
      prisma.$transaction(async (tx) => {
        await onScored(tx, { shop, subscriberId: id, timeline, facts, result, previous: settled, scoreSevenDaysAgo: null, now: T0 });
        expect(await tx.playDelivery.count({ where: { shop } })).toBe(1); // written inside...
        throw new Error("the rescore failed after the engine ran");
      }),
    ).rejects.toThrow(/rescore failed/);
    // ...and gone with the rollback.
    expect(await prisma.firing.count({ where: { shop } })).toBe(0);
    expect(await prisma.playDelivery.count({ where: { shop } })).toBe(0);
    expect(await prisma.job.count({ where: { shop } })).toBe(0);
  });

  it("a retried transaction with the same time writes nothing twice", async () => {
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    const settled = await scoreAndFire(shop, id, settledHistory(), null, at(-1));
    await scoreAndFire(shop, id, skipsAt(T0), settled, T0);
    await scoreAndFire(shop, id, skipsAt(T0), settled, T0);
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
    const settled = await scoreAndFire(shop, id, settledHistory(), null, at(-1));
    const declined = [...settledHistory(), event("billing.failed", at(-0.5), { errorCode: "EXPIRED_PAYMENT_METHOD" })];
    await scoreAndFire(shop, id, declined, settled, T0);
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
      dueAt: at(1),
      status: "open",
    });
    expect(JSON.parse(task.reasons)).toEqual(["Payment failed (hard decline: EXPIRED_PAYMENT_METHOD)"]);
  });

  it("honours the shop's weekly cap from its settings", async () => {
    await prisma.shopSettings.create({ data: { shop, maxPlaysPerWeek: 1 } });
    const id = await createSubscriber(shop, subscriberIdFor(shop, "skip-streak", false));
    const settled = await scoreAndFire(shop, id, settledHistory(), null, at(-1));
    // A hard decline and two skips at once: two triggers' conditions turn true together.
    const both = [...skipsAt(T0), event("billing.failed", at(-0.5), { errorCode: "EXPIRED_PAYMENT_METHOD" })];
    await scoreAndFire(shop, id, both, settled, T0);
    const keys = (await prisma.firing.findMany({ where: { shop } })).map((f) => f.triggerKey);
    expect(keys).toEqual(["payment-failed-hard"]); // the most urgent wins the only slot
  });
});
