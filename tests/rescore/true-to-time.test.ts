// History is dated by the events, however late or in whatever bulk they arrive: a year
// delivered at once and the same year fed one event at a time end in the same history,
// and only crossings inside the live window (and still true) send anything.
import { describe, expect, it } from "vitest";
import type { TimelineEvent } from "~/domain/timeline";
import { appendEvents } from "~/models/timeline.server";
import { rescoreBatch, scoreDirtySubscribers } from "~/rescore/index.server";
import { DAY, createSubscriber, event, prisma, subscriberIdFor } from "../plays/support";

const START = new Date("2026-03-02T09:00:00Z");
const day = (n: number) => new Date(START.getTime() + n * DAY);

/** Half a year: good orders, then two skips, a hard decline, a new card and a recovery, a pause and a resume, more trouble. */
function halfYear(): TimelineEvent[] {
  return [
    event("contract.created", day(0)),
    event("billing.succeeded", day(0.01)),
    event("billing.succeeded", day(30)),
    event("cycle.skipped", day(60)),
    event("cycle.skipped", day(90)),
    event("billing.failed", day(120), { errorCode: "EXPIRED_PAYMENT_METHOD" }),
    event("payment_method.updated", day(122), { cardExpiryMonth: 12, cardExpiryYear: 2031 }, null),
    event("billing.succeeded", day(123)),
    event("contract.paused", day(130)),
    event("contract.activated", day(150)),
    event("billing.failed", day(170), { errorCode: "INSUFFICIENT_FUNDS" }),
    event("cycle.skipped", day(175)),
  ];
}

const keyed = (id: string, events: TimelineEvent[]) =>
  events.map((e) => ({ ...e, sourceKey: `${id}:${e.type}:${e.occurredAt.toISOString()}` }));

async function history(subscriberId: string) {
  const rows = await prisma.healthHistory.findMany({ where: { subscriberId }, orderBy: [{ kind: "asc" }, { at: "asc" }] });
  return {
    bandChanges: rows.filter((r) => r.kind === "band_change").map((r) => ({ at: r.at.toISOString(), from: r.fromBand, to: r.band, score: r.score })),
    weeks: rows.filter((r) => r.kind === "weekly").map((r) => ({ week: r.periodKey, score: r.score, band: r.band, live: r.live })),
  };
}

describe("history true to time", () => {
  it("a history delivered at once and the same history fed one event at a time give the same band changes and weekly snapshots", async () => {
    const shop = "replay-vs-live.myshopify.com";
    const events = halfYear();
    const end = day(180);

    // Delivered at once (a backfill, an import, a worker catching up), scored once at the end.
    const bulk = await createSubscriber(shop, "bulk", { firstSubscribedAt: day(0) });
    await appendEvents(prisma, shop, bulk, keyed(bulk, events));
    await rescoreBatch(shop, [bulk], end);

    // Fed in real time: each event a minute after it happened, and the daily pass every morning.
    const live = await createSubscriber(shop, "live", { firstSubscribedAt: day(0) });
    const moments: { at: Date; add?: TimelineEvent }[] = [
      ...events.map((e) => ({ at: new Date(e.occurredAt.getTime() + 60_000), add: e })),
      ...Array.from({ length: 180 }, (_, n) => ({ at: new Date(day(n + 1).getTime() - 6 * 3_600_000) })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const m of moments) {
      if (m.add) await appendEvents(prisma, shop, live, keyed(live, [m.add]));
      await rescoreBatch(shop, [live], m.at);
    }
    await rescoreBatch(shop, [live], end);

    const a = await history(bulk);
    const b = await history(live);
    expect(a.bandChanges.length).toBeGreaterThanOrEqual(4);
    expect(a.weeks.length).toBeGreaterThanOrEqual(25);
    expect(b.bandChanges).toEqual(a.bandChanges);
    expect(b.weeks).toEqual(a.weeks);
    // Dated by the events: the hard decline's crossing is on the decline's day, not today's.
    expect(a.bandChanges.map((c) => c.at)).toContain(day(120).toISOString());
  });

  it("an old crossing delivered late is history: band changes dated months ago, and no play, task or Flow trigger today", async () => {
    const shop = "late-history.myshopify.com";
    const id = await createSubscriber(shop, subscriberIdFor(shop, "payment-failed-hard", false), { firstSubscribedAt: day(0) });
    // At risk for a week in spring (a hard decline), recovered since, all arriving today.
    await appendEvents(prisma, shop, id, keyed(id, [
      event("contract.created", day(0)),
      event("billing.succeeded", day(30)),
      event("billing.failed", day(60), { errorCode: "EXPIRED_PAYMENT_METHOD" }),
      event("billing.succeeded", day(67)),
      event("billing.succeeded", day(97)),
      event("billing.succeeded", day(127)),
    ]));
    await rescoreBatch(shop, [id], day(150));

    const { bandChanges } = await history(id);
    expect(bandChanges.length).toBeGreaterThanOrEqual(2);
    for (const c of bandChanges) expect(new Date(c.at).getTime()).toBeLessThan(day(100).getTime());
    expect(await prisma.firing.count({ where: { shop } })).toBe(0);
    expect(await prisma.playDelivery.count({ where: { shop } })).toBe(0);
    expect(await prisma.task.count({ where: { shop } })).toBe(0);
    expect(await prisma.job.count({ where: { shop } })).toBe(0);
  });

  it("a crossing inside the live window fires once, at the event's time, however often it is rescored", async () => {
    const shop = "live-window.myshopify.com";
    const id = await createSubscriber(shop, subscriberIdFor(shop, "payment-failed-hard", false), { firstSubscribedAt: day(0) });
    const settled = [event("contract.created", day(0)), event("billing.succeeded", day(30)), event("billing.succeeded", day(60))];
    await appendEvents(prisma, shop, id, keyed(id, settled));
    await rescoreBatch(shop, [id], day(80));
    // The decline happened two days before the worker got to it.
    await appendEvents(prisma, shop, id, keyed(id, [event("billing.failed", day(88), { errorCode: "EXPIRED_PAYMENT_METHOD" })]));
    await rescoreBatch(shop, [id], day(90));
    await rescoreBatch(shop, [id], day(90.5));
    await rescoreBatch(shop, [id], day(91));

    const firings = await prisma.firing.findMany({ where: { shop, triggerKey: "payment-failed-hard" } });
    expect(firings).toHaveLength(1);
    expect(firings[0].firedAt).toEqual(day(88));
    expect(await prisma.task.count({ where: { shop, firingId: firings[0].id } })).toBe(1);
  });

  it("a crossing inside the live window that no longer holds sends nothing", async () => {
    const shop = "already-recovered.myshopify.com";
    const id = await createSubscriber(shop, subscriberIdFor(shop, "payment-failed-hard", false), { firstSubscribedAt: day(0) });
    await appendEvents(prisma, shop, id, keyed(id, [event("contract.created", day(0)), event("billing.succeeded", day(30)), event("billing.succeeded", day(60))]));
    await rescoreBatch(shop, [id], day(80));
    // Declined and recovered again before the worker saw either.
    await appendEvents(prisma, shop, id, keyed(id, [event("billing.failed", day(88), { errorCode: "EXPIRED_PAYMENT_METHOD" }), event("billing.succeeded", day(89))]));
    await rescoreBatch(shop, [id], day(90));
    expect(await prisma.firing.count({ where: { shop, triggerKey: "payment-failed-hard" } })).toBe(0);
  });

  // One still subscribed; one who cancelled weeks before now, which arrives in the last chunk.
  const cancelledEarlier = () => [...halfYear().filter((e) => e.occurredAt < day(150)), event("contract.cancelled", day(160))];
  it.each([
    ["still subscribed", halfYear],
    ["cancelled weeks ago", cancelledEarlier],
  ])("while a shop's history is still arriving, each walk stops at the last event; once the inflow stops the history is the same as walked at once (%s)", async (label, timeline) => {
    const shop = `catching-up-${label.replace(/ /g, "-")}.myshopify.com`;
    const events = timeline();
    const end = day(180);
    const bulk = await createSubscriber(shop, `${shop}-bulk`, { firstSubscribedAt: day(0) });
    await appendEvents(prisma, shop, bulk, keyed(bulk, events));
    await rescoreBatch(shop, [bulk], end);

    // The shop's inbox still holds a delivery: its history is pouring in.
    const inbox = await prisma.job.create({ data: { queue: "webhook", key: `${shop}:still-coming`, shop, status: "pending", runAt: day(0) } });
    const late = await createSubscriber(shop, `${shop}-late`, { firstSubscribedAt: day(0) });
    for (let from = 0; from < 180; from += 30) {
      const chunk = events.filter((e) => e.occurredAt >= day(from) && e.occurredAt < day(from + 30));
      if (chunk.length === 0) continue;
      await appendEvents(prisma, shop, late, keyed(late, chunk));
      while ((await scoreDirtySubscribers(end)) > 0);
      const walked = await prisma.healthScore.findUniqueOrThrow({ where: { subscriberId: late } });
      // Walked to the chunk's last event, scored as of now, and still owed the stretch to now.
      expect(walked.stepAt?.toISOString()).toBe(chunk[chunk.length - 1].occurredAt.toISOString());
      const mark = await prisma.subscriber.findUniqueOrThrow({ where: { id: late } });
      expect(mark.scoreDirtyAt).not.toBeNull();
      expect(mark.scoreDirtyFrom).toBeNull();
    }
    const beforeInflowStops = await prisma.healthScore.findUniqueOrThrow({ where: { subscriberId: late } });
    const reference = await prisma.healthScore.findUniqueOrThrow({ where: { subscriberId: bulk } });
    expect(beforeInflowStops.score).toBe(reference.score);

    // The delivery is processed: the next pass walks the stretch to now.
    await prisma.job.update({ where: { id: inbox.id }, data: { status: "done" } });
    while ((await scoreDirtySubscribers(end)) > 0);
    expect(await history(late)).toEqual(await history(bulk));
    const done = await prisma.healthScore.findUniqueOrThrow({ where: { subscriberId: late } });
    expect({ band: done.band, bandSince: done.bandSince, stepAt: done.stepAt }).toEqual({ band: reference.band, bandSince: reference.bandSince, stepAt: reference.stepAt });
    expect((await prisma.subscriber.findUniqueOrThrow({ where: { id: late } })).scoreDirtyAt).toBeNull();
  });
});
