// Seeds a migrated SQLite database straight from the simulator's timelines, as the
// webhook pipeline would have left it (subscribers, contracts, timeline events), for
// benchmarks at sizes where replaying every webhook would take too long.
import Database from "better-sqlite3";
import { simulateSubscribers, monthlyValue, type ChurnProfile, type SimulatedSubscriber } from "../../simulator";

const DAY_MS = 86_400_000;
const t = (d: Date | number) => new Date(d).toISOString().replace("Z", "+00:00");

export interface SeedOptions {
  file: string;
  shop: string;
  subscribers: number;
  months: number;
  seed: number;
  end: Date;
  /** How the store's subscribers behave (simulator/profiles.ts); the demo store's by default. */
  profile?: ChurnProfile;
}

export interface SeedResult {
  subscribers: number;
  events: number;
  truth: Map<string, Date | null>;
}

function rollup(s: SimulatedSubscriber, end: Date) {
  let card: { month: number; year: number } | null = null;
  let lastPaid = 0;
  for (const e of s.timeline) {
    if (e.type === "payment_method.added" || e.type === "payment_method.updated") {
      if (e.data.cardExpiryMonth && e.data.cardExpiryYear) card = { month: e.data.cardExpiryMonth, year: e.data.cardExpiryYear };
    }
    if (e.type === "billing.succeeded") lastPaid = Math.max(lastPaid, e.occurredAt.getTime());
  }
  const values = s.contracts.map((c) => {
    let value = monthlyValue(c.lines, c.interval, c.intervalCount);
    for (const e of s.timeline) if (e.type === "contract.edited" && e.contractId === String(c.id) && e.data.toMonthlyValue != null) value = e.data.toMonthlyValue;
    return value;
  });
  const active = s.contracts.map((c, i) => ({ c, v: values[i] })).filter(({ c }) => c.status === "active");
  const statuses = s.contracts.map((c) => c.status);
  const status = statuses.includes("active") ? "active" : statuses.includes("paused") ? "paused" : "cancelled";
  const first = active[0]?.c ?? s.contracts[0];
  const intervalDays = first.interval === "week" ? 7 * first.intervalCount : 30 * first.intervalCount;
  const nextBilling = status === "active" ? Math.max(lastPaid, first.createdAt.getTime()) + intervalDays * DAY_MS : null;
  return { card, values, status, monthly: active.reduce((sum, a) => sum + a.v, 0), nextBilling: nextBilling && nextBilling < end.getTime() ? end.getTime() + DAY_MS : nextBilling };
}

export function seedStore(opts: SeedOptions): SeedResult {
  const db = new Database(opts.file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = t(opts.end);
  db.prepare(`INSERT INTO "Shop" ("shop", "installedAt", "currency", "timezone", "backfillStatus", "backfillCount") VALUES (?, ?, 'USD', 'UTC', 'done', 0) ON CONFLICT DO NOTHING`).run(opts.shop, now);
  const sub = db.prepare(
    `INSERT INTO "Subscriber" ("id", "shop", "customerId", "email", "firstName", "lastName", "displayName", "status", "firstSubscribedAt", "monthlyValue", "currency", "nextBillingAt", "cardExpiryMonth", "cardExpiryYear", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?)`,
  );
  const con = db.prepare(
    `INSERT INTO "Contract" ("id", "shop", "contractId", "subscriberId", "status", "currency", "monthlyValue", "billingInterval", "billingIntervalCount", "createdAtShopify", "lines", "enrichedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ev = db.prepare(
    `INSERT INTO "SubscriberEvent" ("id", "shop", "subscriberId", "contractId", "type", "occurredAt", "data", "sourceKey", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const truth = new Map<string, Date | null>();
  let subscribers = 0;
  let events = 0;
  let batch: SimulatedSubscriber[] = [];
  const tag = opts.shop.split(".")[0];
  const flush = db.transaction((rows: SimulatedSubscriber[]) => {
    for (const s of rows) {
      const id = `${tag}_sub_${s.customerId}`;
      const r = rollup(s, opts.end);
      sub.run(id, opts.shop, String(s.customerId), s.email, s.firstName, s.lastName, `${s.firstName} ${s.lastName}`, r.status, t(s.contracts[0].createdAt), r.monthly, r.nextBilling ? t(r.nextBilling) : null, r.card?.month ?? null, r.card?.year ?? null, now, now);
      s.contracts.forEach((c, i) => {
        con.run(`${tag}_con_${c.id}`, opts.shop, String(c.id), id, c.status, c.currency, r.values[i], c.interval.toUpperCase(), c.intervalCount, t(c.createdAt), JSON.stringify(c.lines), now);
      });
      s.timeline.forEach((e, i) => {
        ev.run(`${tag}_ev_${s.customerId}_${i}`, opts.shop, id, e.contractId, e.type, t(e.occurredAt), JSON.stringify(e.data), `seed:${s.customerId}:${i}`, now);
        events += 1;
      });
      truth.set(id, s.truth.cancelledAt);
      subscribers += 1;
    }
  });
  for (const s of simulateSubscribers({ seed: opts.seed, subscribers: opts.subscribers, months: opts.months, end: opts.end, shopDomain: opts.shop, profile: opts.profile })) {
    batch.push(s);
    if (batch.length === 2000) {
      flush(batch);
      batch = [];
    }
  }
  flush(batch);
  db.close();
  return { subscribers, events, truth };
}
