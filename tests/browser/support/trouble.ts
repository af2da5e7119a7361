// A simulated store's population at the end of its run depends on the date it ends: some
// days nobody happens to be at risk. Browser tests need people on this week's list
// whatever the date, so a few active subscribers get a recent run of trouble before
// scoring, as the webhooks would have recorded it: two skipped deliveries, then a hard
// and a soft decline.
import type Database from "better-sqlite3";

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

/** Monday 00:00 UTC of the week containing `now` (the seeded shops' zone). */
function weekStart(now: Date): number {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS;
}

/**
 * When each piece of trouble happened: the declines inside this week whatever the weekday
 * (the week's list and its crossings are the subject of the tests), the skips before.
 */
function troubleTimes(now: Date): number[] {
  const t = now.getTime();
  const monday = weekStart(now);
  const inWeek = (daysAgo: number, minutesIn: number) => Math.min(t - 1_000, Math.max(t - daysAgo * DAY_MS, monday + minutesIn * 60_000));
  return [t - 20 * DAY_MS, t - 10 * DAY_MS, inWeek(3, 1), inWeek(1, 2)];
}

/** Gives `count` active subscribers of `shop` (every few, by id, so values vary) that trouble. Returns their ids. */
export function addTrouble(db: Database.Database, shop: string, count: number, now: Date): string[] {
  const active = db
    .prepare(
      `SELECT s.id, c.contractId FROM Subscriber s JOIN Contract c ON c.subscriberId = s.id AND c.status = 'active'
       WHERE s.shop = ? AND s.status = 'active' GROUP BY s.id ORDER BY s.id`,
    )
    .all(shop) as { id: string; contractId: string }[];
  const step = Math.max(1, Math.floor(active.length / Math.max(1, count)));
  const chosen = active.filter((_, i) => i % step === 0).slice(0, count);
  const insert = db.prepare(
    `INSERT INTO SubscriberEvent (id, shop, subscriberId, contractId, type, occurredAt, data, sourceKey, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const times = troubleTimes(now);
  const events: [string, number, Record<string, unknown>][] = [
    ["cycle.skipped", times[0], { cycleIndex: 90 }],
    ["cycle.skipped", times[1], { cycleIndex: 91 }],
    ["billing.failed", times[2], { errorCode: "EXPIRED_PAYMENT_METHOD", failureClass: "hard_decline", errorMessage: "expired_payment_method" }],
    ["billing.failed", times[3], { errorCode: "INSUFFICIENT_FUNDS", failureClass: "soft_decline", errorMessage: "Insufficient funds." }],
  ];
  // Marked as the app marks a subscriber whose timeline gained events: the next rescore
  // walks their history again from the first of them.
  const mark = db.prepare(`UPDATE Subscriber SET scoreDirtyAt = ?, scoreDirtyFrom = ? WHERE id = ?`);
  db.transaction(() => {
    for (const s of chosen) {
      events.forEach(([type, atMs, data], i) => {
        insert.run(`trouble_${s.id}_${i}`, shop, s.id, s.contractId, type, iso(atMs), JSON.stringify(data), `trouble:${s.id}:${i}`, iso(now.getTime()));
      });
      mark.run(iso(now.getTime()), iso(times[0]), s.id);
    }
  })();
  return chosen.map((s) => s.id);
}
