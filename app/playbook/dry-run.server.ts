/**
 * "What would this trigger have done over the last 90 days?" on the shop's real data.
 * Each subscriber's stored timeline is replayed by the rescore stage's own walk
 * (rescore/plan.ts timedSnapshots): at every event and every day start, the facts as
 * they were then, the score then and the snapshot built from them, exactly as the live
 * stage evaluates triggers. dry-run.ts then applies the trigger's edges, segment filter
 * and cooldown. Day starts as well as events, because some conditions become true with
 * the passage of time alone (paused longer than 30 days).
 * Only the subscribers who could have set the trigger off are replayed (dry-run-scope.ts:
 * an event that can make the condition true, a stored band change, a pause, signup or card
 * expiry that time turns into it), found through indexes; the others cannot fire. They are
 * processed in chunks so memory stays flat on a large store.
 */
import prisma from "../db.server";
import { directDb, prepared, sqliteTime } from "../db-direct.server";
import { shopScoring } from "../health/settings.server";
import { dryRun, type DryRunResult, type SubscriberHistory } from "./dry-run";
import { dryRunScope, type DryRunScope } from "./dry-run-scope";
import { parseTrigger } from "./schema";
import { timedSnapshots } from "../rescore/plan";
import { loadReplaySubjects } from "./dry-run-load.server";

const DAY_MS = 86_400_000;
const CHUNK = 400;
/** Extra days replayed before the window: the 7-day-ago score and the first "previous" state. */
const LEAD_IN_DAYS = 8;

export type DryRunTriggerResult = { ok: true; result: DryRunResult; checked: DryRunChecked } | { ok: false; errors: string[] };

/** How many subscribers were replayed: those who could have set the trigger off, of all the shop's. */
export interface DryRunChecked {
  replayed: number;
  of: number;
}

/** The subscribers the scope names (dry-run-scope.ts), each found through an index; sorted by id. */
function candidateIds(shop: string, scope: DryRunScope, nowMs: number): string[] {
  const db = directDb();
  const now = sqliteTime(new Date(nowMs));
  const ids = new Set<string>();
  const add = (rows: unknown[]) => {
    for (const r of rows as { id: string }[]) ids.add(r.id);
  };
  for (const source of scope.events) {
    const types = source.types.map(() => "?").join(", ");
    add(
      prepared(db, `SELECT DISTINCT "subscriberId" AS id FROM "SubscriberEvent" WHERE "shop" = ? AND "type" IN (${types}) AND "occurredAt" >= ? AND "occurredAt" <= ?`).all(
        shop,
        ...source.types,
        sqliteTime(new Date(source.fromMs)),
        now,
      ),
    );
  }
  if (scope.bandChangesFromMs !== null) {
    add(
      prepared(db, `SELECT DISTINCT "subscriberId" AS id FROM "HealthHistory" WHERE "shop" = ? AND "at" >= ? AND "at" <= ? AND "kind" = 'band_change'`).all(
        shop,
        sqliteTime(new Date(scope.bandChangesFromMs)),
        now,
      ),
    );
  }
  if (scope.signedUpFromMs !== null) {
    add(prepared(db, `SELECT "id" FROM "Subscriber" WHERE "shop" = ? AND "firstSubscribedAt" >= ?`).all(shop, sqliteTime(new Date(scope.signedUpFromMs))));
  }
  if (scope.cardExpiry) {
    const month = (ms: number) => new Date(ms).getUTCFullYear() * 12 + new Date(ms).getUTCMonth();
    add(
      prepared(db, `SELECT "id" FROM "Subscriber" WHERE "shop" = ? AND "cardExpiryYear" IS NOT NULL AND ("cardExpiryYear" * 12 + "cardExpiryMonth" - 1) BETWEEN ? AND ?`).all(
        shop,
        month(scope.cardExpiry.fromMs),
        month(scope.cardExpiry.toMs),
      ),
    );
  }
  return [...ids].sort();
}

export async function dryRunTrigger(
  shop: string,
  definition: unknown,
  now: Date,
  options: { windowDays?: number; maxSubscriberIds?: number } = {},
): Promise<DryRunTriggerResult> {
  const parsed = parseTrigger(definition);
  if (!parsed.ok) return parsed;
  const trigger = parsed.value;
  const windowDays = options.windowDays ?? 90;
  const maxIds = options.maxSubscriberIds ?? 50;
  const windowStart = now.getTime() - windowDays * DAY_MS;
  const walkFrom = now.getTime() - (windowDays + LEAD_IN_DAYS) * DAY_MS;
  const { config, timeZone } = await shopScoring(shop);
  const scope = dryRunScope(trigger.condition, walkFrom, now.getTime());
  const candidates = candidateIds(shop, scope, now.getTime());
  const of = await prisma.subscriber.count({ where: { shop, redactedAt: null } });

  let merged: DryRunResult | null = null;
  let replayed = 0;
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const subscribers = loadReplaySubjects(shop, candidates.slice(i, i + CHUNK), timeZone, now);
    replayed += subscribers.length;
    const histories: SubscriberHistory[] = [];
    for (const s of subscribers) {
      const { timeline, facts } = s;
      if (timeline.length === 0) continue;
      // Cancelled before the window and nothing since: the snapshot cannot change, no edge.
      const lastEventAt = timeline.at(-1)?.occurredAt.getTime() ?? 0;
      if (s.status === "cancelled" && lastEventAt < windowStart - LEAD_IN_DAYS * DAY_MS) continue;
      // The rescore stage's own walk: the same instants, scores and snapshots the live triggers see.
      const snapshots = timedSnapshots({ id: s.id, timeline, facts }, { config, timeZone, now }, walkFrom, { eventsOnly: scope.eventsOnly });
      histories.push({ subscriberId: s.id, snapshots });
    }
    if (subscribers.length === 0) continue;
    const part = dryRun(trigger, histories, { now, windowDays, maxSubscriberIds: maxIds });
    merged = merged ? mergeResults(merged, part, maxIds) : part;
    // A long replay lets the process answer other requests between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ok: true, result: merged ?? dryRun(trigger, [], { now, windowDays, maxSubscriberIds: maxIds }), checked: { replayed, of } };
}

function mergeResults(a: DryRunResult, b: DryRunResult, maxIds: number): DryRunResult {
  const ids = [...a.subscriberIds, ...b.subscriberIds].slice(0, maxIds);
  const affected = a.subscribersAffected + b.subscribersAffected;
  return {
    triggerId: a.triggerId,
    totalFirings: a.totalFirings + b.totalFirings,
    perWeek: a.perWeek.map((w, i) => ({ weekStart: w.weekStart, count: w.count + (b.perWeek[i]?.count ?? 0) })),
    subscribersAffected: affected,
    subscriberIds: ids,
    truncated: affected > ids.length,
    suppressed: { segment: a.suppressed.segment + b.suppressed.segment, cooldown: a.suppressed.cooldown + b.suppressed.cooldown },
  };
}
