// The dry run replays only the subscribers whose last 90 days could have set a trigger off,
// found through indexes: on a simulated store it must count exactly what replaying every
// subscriber counts, for every default trigger and for each kind of condition.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { factsOf } from "~/health/facts.server";
import { shopScoring } from "~/health/settings.server";
import { DEFAULT_PLAYBOOK } from "~/playbook/defaults";
import { dryRun, type SubscriberHistory } from "~/playbook/dry-run";
import { dryRunTrigger } from "~/playbook/dry-run.server";
import type { TriggerDefinition } from "~/playbook/schema";
import { loadTimelines } from "~/playbook/timelines.server";
import { timedSnapshots } from "~/rescore/plan";
import { seededShop } from "../support/seeded-shop";

const SHOP = "dry-run-scope.myshopify.com";
const DAY = 86_400_000;
let now: Date;

beforeAll(async () => {
  ({ now } = await seededShop(SHOP, { subscribers: 300, months: 8 }));
}, 120_000);

/** Every subscriber of the shop through the same walk: what the dry run answered before it chose whom to replay. */
async function replayEveryone(trigger: TriggerDefinition) {
  const { config, timeZone } = await shopScoring(SHOP);
  const subscribers = await prisma.subscriber.findMany({
    where: { shop: SHOP, redactedAt: null },
    orderBy: { id: "asc" },
    include: { contracts: { select: { status: true, billingInterval: true, billingIntervalCount: true } } },
  });
  const timelines = await loadTimelines(SHOP, subscribers.map((s) => s.id), now);
  const histories: SubscriberHistory[] = subscribers.flatMap((s) => {
    const timeline = timelines.get(s.id) ?? [];
    if (timeline.length === 0) return [];
    const snapshots = timedSnapshots({ id: s.id, timeline, facts: factsOf(s, s.contracts, timeZone, now) }, { config, timeZone, now }, now.getTime() - 98 * DAY);
    return [{ subscriberId: s.id, snapshots }];
  });
  return { result: dryRun(trigger, histories, { now, windowDays: 90, maxSubscriberIds: 1000 }), subscribers: subscribers.length };
}

const base = DEFAULT_PLAYBOOK[0];
const conditions: TriggerDefinition[] = [
  ...DEFAULT_PLAYBOOK,
  { ...base, id: "paused-10", condition: { type: "paused_longer_than", days: 10 } },
  { ...base, id: "new-7", condition: { type: "new_before_second_delivery", minTenureDays: 7 } },
  { ...base, id: "card", condition: { type: "card_expires_before_next_billing" } },
  { ...base, id: "watch", condition: { type: "entered_band", band: "watch" } },
  { ...base, id: "critical", condition: { type: "entered_band", band: "critical" } },
  { ...base, id: "drop-10", condition: { type: "score_dropped", points: 10, withinDays: 7 } },
  { ...base, id: "cancelled", condition: { type: "contract_cancelled" } },
  { ...base, id: "soft", condition: { type: "payment_failed", failureClass: "soft_decline" } },
];

describe("the dry run replays only who could have fired", () => {
  it.each(conditions.map((t) => [t.id, t] as const))("%s: the same firings, weeks and subscribers as replaying everyone", async (_id, trigger) => {
    const run = await dryRunTrigger(SHOP, trigger, now, { windowDays: 90, maxSubscriberIds: 1000 });
    if (!run.ok) throw new Error(run.errors.join("; "));
    const everyone = await replayEveryone(trigger);
    expect(run.result).toEqual(everyone.result);
    expect(run.checked.of).toBe(everyone.subscribers);
  });

  it("replays fewer subscribers than the store has for an event condition", async () => {
    const run = await dryRunTrigger(SHOP, DEFAULT_PLAYBOOK.find((t) => t.condition.type === "consecutive_skips_at_least")!, now);
    if (!run.ok) throw new Error(run.errors.join("; "));
    expect(run.result.totalFirings).toBeGreaterThan(0);
    expect(run.checked.replayed).toBeLessThan(run.checked.of);
  });
});
