/** Shared set-up for the playbook's database tests: subscribers, timelines, scoring, a fake clock. */
import prisma from "~/db.server";
import type { TimelineEvent, TimelineEventData, TimelineEventType } from "~/domain/timeline";
import type { SubscriberFacts } from "~/health";
import { appendEvents } from "~/models/timeline.server";
import { rescoreBatch } from "~/rescore/index.server";
import { isHoldout } from "~/playbook/holdout";
import { createKlaviyoRateLimiter } from "~/plays/klaviyo/rate-limit.server";
import type { Worker } from "~/queue/worker.server";
import { createWorkers } from "~/workers.server";

export { prisma };

export const T0 = new Date("2026-03-02T12:00:00Z");
export const DAY = 86_400_000;
export const at = (days: number, from = T0) => new Date(from.getTime() + days * DAY);

/** A clock tests move by hand; the worker, the limiter and the local Klaviyo all read it. */
export function fakeClock(start = T0) {
  let ms = start.getTime();
  return {
    now: () => new Date(ms),
    ms: () => ms,
    set: (d: Date | number) => {
      ms = Math.max(ms, typeof d === "number" ? d : d.getTime());
    },
    advance: (delta: number) => {
      ms += delta;
    },
  };
}
export type FakeClock = ReturnType<typeof fakeClock>;

/** A subscriber id whose holdout assignment for `triggerKey` is as wanted (holdout is a hash). */
export function subscriberIdFor(shop: string, triggerKey: string, holdout: boolean, prefix = shop.split(".")[0]): string {
  for (let i = 0; i < 10_000; i++) {
    const id = `${prefix}-${i}`;
    if (isHoldout(shop, triggerKey, id, 10) === holdout) return id;
  }
  throw new Error("no id found");
}

export async function createSubscriber(
  shop: string,
  id: string,
  over: { email?: string | null; status?: string; firstSubscribedAt?: Date; customerId?: string } = {},
): Promise<string> {
  await prisma.subscriber.create({
    data: {
      id,
      shop,
      customerId: over.customerId ?? id,
      email: over.email === undefined ? `${id}@example.com` : over.email,
      status: over.status ?? "active",
      firstSubscribedAt: over.firstSubscribedAt ?? at(-400),
      monthlyValue: 40,
      nextBillingAt: at(10),
      cardExpiryMonth: 12,
      cardExpiryYear: 2030,
    },
  });
  return id;
}

export const event = (type: TimelineEventType, when: Date, data: TimelineEventData = {}, contractId: string | null = "c1"): TimelineEvent => ({
  type,
  occurredAt: when,
  contractId,
  data,
});

let seq = 0;
export async function addEvents(shop: string, subscriberId: string, events: TimelineEvent[]): Promise<void> {
  for (const e of events) {
    await prisma.subscriberEvent.create({
      data: {
        shop,
        subscriberId,
        contractId: e.contractId,
        type: e.type,
        occurredAt: e.occurredAt,
        data: JSON.stringify(e.data),
        sourceKey: `test-${++seq}`,
      },
    });
  }
}

/** An established subscriber: subscribed 400 days before T0, monthly, card good for years. */
export function factsFor(over: Partial<SubscriberFacts> = {}): SubscriberFacts {
  return {
    firstSubscribedAt: at(-400),
    monthlyValue: 40,
    nextBillingAt: at(10),
    cardExpiry: { month: 12, year: 2030 },
    billingIntervalDays: 30,
    ...over,
  };
}

/** A settled history: created 400 days ago, three good orders. */
export function settledHistory(): TimelineEvent[] {
  return [
    event("contract.created", at(-400)),
    event("billing.succeeded", at(-90)),
    event("billing.succeeded", at(-60)),
    event("billing.succeeded", at(-30)),
  ];
}

/**
 * Records the timeline's events (those not recorded yet) and runs the rescore stage for
 * the subscriber at `now`, as the worker would after a batch. Returns the stored snapshot.
 * `previous` is kept for the callers' readability: the stage reads what it stored itself.
 */
export async function scoreAndFire(
  shop: string,
  subscriberId: string,
  timeline: TimelineEvent[],
  now: Date,
): Promise<void> {
  await appendEvents(
    prisma,
    shop,
    subscriberId,
    timeline.map((e) => ({ ...e, sourceKey: `test:${subscriberId}:${e.type}:${e.contractId}:${e.occurredAt.toISOString()}` })),
  );
  await rescoreBatch(shop, [subscriberId], now);
}

/** Scored settled, then two skips in a row two and three days before `now`: "Two skips in a row" fires at the second. */
export async function fireSkipStreak(shop: string, subscriberId: string, now: Date): Promise<void> {
  const settled = settledHistory();
  await scoreAndFire(shop, subscriberId, settled, new Date(now.getTime() - 4 * DAY));
  const skipped = [...settled, event("cycle.skipped", new Date(now.getTime() - 3 * DAY)), event("cycle.skipped", new Date(now.getTime() - 2 * DAY))];
  await scoreAndFire(shop, subscriberId, skipped, now);
}

/** The server's plays worker (plays, Flow triggers, digests) on the fake clock, talking to the local Klaviyo at `basePath`. */
export function playsWorker(clock: FakeClock, basePath: string): Worker {
  const limiter = createKlaviyoRateLimiter({ now: clock.ms, sleep: async (ms) => clock.advance(ms) });
  return createWorkers({ now: clock.now, klaviyo: { limiter, basePath, timeoutMs: 2_000 } }).plays;
}

/** Drains, then jumps the clock to the next retry, until no play (or digest) job is waiting. */
export async function deliverAll(worker: Worker, clock: FakeClock, shop: string, maxRounds = 60): Promise<number> {
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    await worker.drain();
    const next = await prisma.job.findFirst({
      where: { shop, queue: { in: ["play", "digest"] }, status: "pending" },
      orderBy: { runAt: "asc" },
      select: { runAt: true },
    });
    if (!next) break;
    clock.set(next.runAt);
  }
  return rounds;
}
