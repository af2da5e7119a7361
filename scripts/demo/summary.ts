/**
 * What the demo shows a merchant, read from the app's database (never from the
 * simulator, except the clearly labelled ground-truth check). `readSummary` reads rows;
 * `formatSummary` turns them into text. Sections for tables nobody has written to yet
 * are left out.
 */
import Database from "better-sqlite3";
import { readAtRiskWeek, type SqlRead } from "../../app/health/at-risk-week-read";
import { currentWeek } from "../../app/health/weeks.server";
import { moneyByCurrency, type MoneyByCurrency } from "../../app/health/at-risk-week";

export interface SummaryInputs {
  shop: string;
  now: Date;
  /** Webhooks the app acknowledged with 200 (duplicates included). */
  acknowledged: number;
  /** Events the local Klaviyo server accepted, by metric name. */
  klaviyoEvents: Record<string, number>;
  /** Subscribers whose every contract the simulator ended. */
  simulatorCancelled: number;
}

export interface AtRiskRow {
  name: string;
  email: string | null;
  monthlyValue: number;
  currency: string;
  score: number;
  band: string;
  factors: string[];
}

export interface DemoSummary {
  subscribers: { active: number; paused: number; cancelled: number; unknown: number; total: number };
  /** Sum of active subscribers' monthly value, by currency. */
  mrr: Record<string, number>;
  eventsIngested: number;
  eventsByTopic: Record<string, number>;
  timelineByType: Record<string, number>;
  duplicatesIgnored: number;
  dead: number;
  deadReasons: { reason: string; topic: string; count: number }[];
  unfinishedJobs: number;
  /** Subscribers still subscribed, by band now: someone who cancelled is counted as cancelled. */
  bands: Record<string, number>;
  /** This week's list, as home and the at-risk page count it (the app's own definition). */
  week: { key: string; toReview: number; atRisk: number; recovered: number; monthlyAtRisk: MoneyByCurrency; currency: string };
  /** The top of the list to review. */
  atRisk: AtRiskRow[];
  firings: { triggerKey: string; fired: number; heldOut: number }[];
  plays: Record<string, number>;
  playFailures: { reason: string; count: number }[];
  klaviyoEvents: Record<string, number>;
  tasks: { byPriority: Record<string, number>; open: number; overdue: number };
  truth: { simulatorCancelled: number; appCancelled: number };
}

type Row = Record<string, unknown>;

export async function readSummary(file: string, inputs: SummaryInputs): Promise<DemoSummary> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const rows = (table: string, sql: string, ...args: unknown[]): Row[] => (tables.has(table) ? (db.prepare(sql).all(...args) as Row[]) : []);
    const tally = (list: Row[], key = "k", value = "n") => Object.fromEntries(list.map((r) => [String(r[key]), Number(r[value])]));
    const shop = inputs.shop;

    const byStatus = tally(rows("Subscriber", "SELECT status AS k, COUNT(*) AS n FROM Subscriber WHERE shop = ? GROUP BY status", shop));
    const subscribers = {
      active: byStatus.active ?? 0,
      paused: byStatus.paused ?? 0,
      cancelled: byStatus.cancelled ?? 0,
      unknown: byStatus.unknown ?? 0,
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
    };
    const mrr = tally(
      rows("Subscriber", "SELECT COALESCE(currency, 'USD') AS k, ROUND(SUM(monthlyValue), 2) AS n FROM Subscriber WHERE shop = ? AND status = 'active' GROUP BY k", shop),
    );

    const eventsByTopic = tally(rows("WebhookDelivery", "SELECT topic AS k, COUNT(*) AS n FROM WebhookDelivery WHERE shop = ? GROUP BY topic ORDER BY n DESC", shop));
    const eventsIngested = Object.values(eventsByTopic).reduce((a, b) => a + b, 0);
    const timelineByType = tally(rows("SubscriberEvent", "SELECT type AS k, COUNT(*) AS n FROM SubscriberEvent WHERE shop = ? GROUP BY type ORDER BY n DESC", shop));

    const deadJobs = rows(
      "Job",
      `SELECT j.lastError AS lastError, COALESCE(d.topic, j.queue) AS topic FROM Job j
       LEFT JOIN WebhookDelivery d ON d.shop = j.shop AND j.key = d.shop || ':' || d.deliveryKey
       WHERE j.shop = ? AND j.status = 'dead'`,
      shop,
    );
    const deadReasons = countBy(deadJobs.map((r) => ({ reason: reasonOf(r.lastError), topic: String(r.topic) })));
    const unfinishedJobs = Number(rows("Job", "SELECT COUNT(*) AS n FROM Job WHERE shop = ? AND status IN ('pending', 'running')", shop)[0]?.n ?? 0);

    const bands = tally(rows(
        "HealthScore",
        // Health is for those still subscribed: a cancelled subscriber is churn, not risk.
        "SELECT band AS k, COUNT(*) AS n FROM HealthScore WHERE shop = ? AND live = 1 GROUP BY band",
        shop,
      ));
    const shopRow = rows("Shop", "SELECT currency, timezone FROM Shop WHERE shop = ?", shop)[0] ?? {};
    const currency = String(shopRow.currency ?? "USD");
    const bounds = currentWeek(inputs.now, String(shopRow.timezone ?? "UTC"));
    const sql: SqlRead = async (text, params) => (tables.has("HealthScore") ? (db.prepare(text).all(...params) as Row[]) : []);
    const list = await readAtRiskWeek(sql, { shop, week: bounds, isCurrent: true, now: inputs.now, shopCurrency: currency });
    const atRiskMembers = list.members.filter((m) => m.view !== "recovered");
    const toReview = list.members.filter((m) => m.view === "review").slice(0, 10);
    const details = new Map(
      (toReview.length
        ? rows(
            "Subscriber",
            `SELECT s.id, s.displayName, s.firstName, s.lastName, s.email, s.customerId, h.factors FROM Subscriber s LEFT JOIN HealthScore h ON h.subscriberId = s.id
             WHERE s.shop = ? AND s.id IN (${toReview.map(() => "?").join(", ")})`,
            shop,
            ...toReview.map((m) => m.subscriberId),
          )
        : []
      ).map((r) => [String(r.id), r]),
    );
    const atRisk = toReview.map((m) => toAtRisk({ ...details.get(m.subscriberId), monthlyValue: m.monthlyValue, currency: m.currency, score: m.score, band: m.band }));
    const week = {
      key: bounds.key,
      toReview: list.counts.review,
      atRisk: atRiskMembers.length,
      recovered: list.counts.recovered,
      monthlyAtRisk: moneyByCurrency(atRiskMembers),
      currency,
    };

    const firings = rows(
      "Firing",
      "SELECT triggerKey, COUNT(*) AS fired, SUM(holdout) AS heldOut FROM Firing WHERE shop = ? GROUP BY triggerKey ORDER BY fired DESC",
      shop,
    ).map((r) => ({ triggerKey: String(r.triggerKey), fired: Number(r.fired), heldOut: Number(r.heldOut ?? 0) }));
    const plays = tally(rows("PlayDelivery", "SELECT status AS k, COUNT(*) AS n FROM PlayDelivery WHERE shop = ? GROUP BY status", shop));
    const playFailures = countBy(
      rows("PlayDelivery", "SELECT lastError FROM PlayDelivery WHERE shop = ? AND status = 'failed'", shop).map((r) => ({ reason: reasonOf(r.lastError) })),
    );

    const taskRows = rows("Task", "SELECT priority, status, dueAt FROM Task WHERE shop = ?", shop);
    const openTasks = taskRows.filter((t) => t.status !== "done");
    const tasks = {
      byPriority: tally(Object.entries(countKeys(taskRows.map((t) => String(t.priority)))).map(([k, n]) => ({ k, n }))),
      open: openTasks.length,
      overdue: openTasks.filter((t) => parseDate(t.dueAt) < inputs.now.getTime()).length,
    };

    return {
      subscribers,
      mrr,
      eventsIngested,
      eventsByTopic,
      timelineByType,
      duplicatesIgnored: inputs.acknowledged - eventsIngested,
      dead: deadJobs.length,
      deadReasons,
      unfinishedJobs,
      bands,
      week,
      atRisk,
      firings,
      plays,
      playFailures,
      klaviyoEvents: inputs.klaviyoEvents,
      tasks,
      truth: { simulatorCancelled: inputs.simulatorCancelled, appCancelled: subscribers.cancelled },
    };
  } finally {
    db.close();
  }
}

function toAtRisk(r: Row): AtRiskRow {
  const name = r.displayName ?? ([r.firstName, r.lastName].filter(Boolean).join(" ") || `Customer ${r.customerId}`);
  let factors: { text?: string; points?: number }[] = [];
  try {
    factors = JSON.parse(String(r.factors));
  } catch {
    // unreadable factors: show the row without them
  }
  const risks = factors.filter((f) => (f.points ?? 0) < 0).sort((a, b) => (a.points ?? 0) - (b.points ?? 0));
  return {
    name: String(name),
    email: (r.email as string | null) ?? null,
    monthlyValue: Number(r.monthlyValue ?? 0),
    currency: String(r.currency ?? "USD"),
    score: Number(r.score),
    band: String(r.band),
    factors: (risks.length ? risks : factors).slice(0, 2).map((f) => String(f.text ?? "")),
  };
}

/** The first line of an error, numbers masked, so the same failure groups together. */
function reasonOf(error: unknown): string {
  const first = String(error ?? "no error recorded").split("\n")[0];
  return first.replace(/\d{3,}/g, "#").slice(0, 160);
}

function countKeys(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

function countBy<T extends Record<string, string>>(items: T[]): (T & { count: number })[] {
  const map = new Map<string, T & { count: number }>();
  for (const item of items) {
    const key = JSON.stringify(item);
    const entry = map.get(key) ?? { ...item, count: 0 };
    entry.count++;
    map.set(key, entry);
  }
  return [...map.values()].sort((a, b) => b.count - a.count);
}

function parseDate(value: unknown): number {
  if (typeof value === "number") return value;
  return Date.parse(String(value));
}
