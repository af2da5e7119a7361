// Tasks that close themselves in the rescore stage: a subscriber who cancelled or recovered
// after a task opened has nothing left for a person to do, decided by the events' time.
import { beforeEach, describe, expect, it } from "vitest";
import { mootSince, taskCloses } from "~/rescore/task-closes";
import { rescoreBatch } from "~/rescore/index.server";
import { T0, at, createSubscriber, event, prisma, scoreAndFire, settledHistory, subscriberIdFor } from "../plays/support";

let shop = "";
let n = 0;
beforeEach(() => {
  shop = `closes-${++n}.myshopify.com`;
});

const declined = (when: Date) => [...settledHistory(), event("billing.failed", when, { errorCode: "EXPIRED_PAYMENT_METHOD" })];

async function openTaskAfterDecline(id: string) {
  await createSubscriber(shop, id);
  await scoreAndFire(shop, id, settledHistory(), at(-1));
  await scoreAndFire(shop, id, declined(at(-0.5)), T0);
  return prisma.task.findFirstOrThrow({ where: { shop, subscriberId: id } });
}

describe("which tasks are moot (pure)", () => {
  const open = [
    { id: "before", openedAt: at(-3) },
    { id: "after", openedAt: at(1) },
  ];
  it("a cancellation closes the tasks opened before it, at its time, and keeps those it opened", () => {
    expect(taskCloses(open, mootSince({ cancelledAt: at(0), band: "critical", bandSince: at(0), bandBefore: "watch" }))).toEqual([{ taskId: "before", reason: "cancelled", at: at(0) }]);
  });
  it("a return to healthy or watch closes the tasks opened before it", () => {
    expect(taskCloses(open, mootSince({ cancelledAt: null, band: "watch", bandSince: at(0), bandBefore: "at_risk" }))).toEqual([{ taskId: "before", reason: "recovered", at: at(0) }]);
  });
  it("sliding from healthy into watch is no recovery", () => {
    expect(mootSince({ cancelledAt: null, band: "watch", bandSince: at(0), bandBefore: "healthy" })).toBeNull();
    expect(mootSince({ cancelledAt: null, band: "healthy", bandSince: at(0), bandBefore: null })).toBeNull();
  });
  it("at risk or critical and still subscribed: nothing closes", () => {
    expect(mootSince({ cancelledAt: null, band: "at_risk", bandSince: at(0), bandBefore: "watch" })).toBeNull();
    expect(taskCloses(open, null)).toEqual([]);
  });
});

describe("tasks close themselves in the rescore stage", () => {
  it("a cancelled subscriber's open task closes with reason cancelled, dated by the cancellation", async () => {
    const id = subscriberIdFor(shop, "cancelled-winback", true, "low");
    const task = await openTaskAfterDecline(id);
    expect(task.status).toBe("open");
    await scoreAndFire(shop, id, [...declined(at(-0.5)), event("contract.cancelled", at(1))], at(1.5));
    const closed = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(closed).toMatchObject({ status: "done", closeReason: "cancelled", closedAt: at(1) });
    // A low-value cancellation opens no win-back task: the Klaviyo flow handles it.
    expect(await prisma.task.count({ where: { shop, subscriberId: id, status: "open" } })).toBe(0);
  });

  it("closing is idempotent: rescoring again, or after a person closed it, changes nothing", async () => {
    const id = `${shop}-twice`;
    const task = await openTaskAfterDecline(id);
    await prisma.task.update({ where: { id: task.id }, data: { status: "done", closeReason: "could_not_reach", closedAt: at(0.2) } });
    await scoreAndFire(shop, id, [...declined(at(-0.5)), event("contract.cancelled", at(1))], at(1.5));
    await rescoreBatch(shop, [id], at(2));
    expect(await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "done", closeReason: "could_not_reach", closedAt: at(0.2) });
  });

  it("a subscriber back to healthy after the task opened: it closes with reason recovered", async () => {
    const id = `${shop}-recovers`;
    const task = await openTaskAfterDecline(id);
    expect((await prisma.healthScore.findUniqueOrThrow({ where: { subscriberId: id } })).band).toBe("watch");
    // The card is updated and the next charge goes through: healthy again the next day.
    const paid = [...declined(at(-0.5)), event("payment_method.updated", at(0.5)), event("billing.succeeded", at(0.6))];
    await scoreAndFire(shop, id, paid, at(40));
    const after = await prisma.healthScore.findUniqueOrThrow({ where: { subscriberId: id } });
    expect(after).toMatchObject({ band: "healthy", bandSince: at(0.5) });
    expect(await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "done", closeReason: "recovered", closedAt: after.bandSince });
  });

  it("a subscriber still at risk or watch since before the task keeps it open", async () => {
    const id = `${shop}-stays`;
    const task = await openTaskAfterDecline(id);
    await rescoreBatch(shop, [id], at(0.3));
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("open");
  });
});
