// A simulated store's population at the end of its run depends on the date it ends: some
// days nobody happens to be at risk. Browser tests need people on this week's list
// whatever the date, so a few active subscribers get a recent run of trouble before
// scoring, as the webhooks would have recorded it: two skipped deliveries, then a hard
// and a soft decline.
import type Database from "better-sqlite3";

const DAY_MS = 86_400_000;
const at = (now: Date, daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS).toISOString().replace("Z", "+00:00");

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
  const events: [string, number, Record<string, unknown>][] = [
    ["cycle.skipped", 20, { cycleIndex: 90 }],
    ["cycle.skipped", 10, { cycleIndex: 91 }],
    ["billing.failed", 3, { errorCode: "EXPIRED_PAYMENT_METHOD", failureClass: "hard_decline", errorMessage: "expired_payment_method" }],
    ["billing.failed", 1, { errorCode: "INSUFFICIENT_FUNDS", failureClass: "soft_decline", errorMessage: "Insufficient funds." }],
  ];
  db.transaction(() => {
    for (const s of chosen) {
      events.forEach(([type, daysAgo, data], i) => {
        insert.run(`trouble_${s.id}_${i}`, shop, s.id, s.contractId, type, at(now, daysAgo), JSON.stringify(data), `trouble:${s.id}:${i}`, at(now, 0));
      });
    }
  })();
  return chosen.map((s) => s.id);
}
