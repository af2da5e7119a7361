/**
 * The reads behind "at risk this week" (at-risk-week.ts), in plain SQL through whatever
 * connection the caller has: Prisma in the app (at-risk-week.server.ts), the demo's own
 * SQLite connection in its summary. Every read is by an index: live health by band
 * (HealthScore shop, live, band), the week's band changes by their instant
 * (HealthHistory shop, kind, periodKey), tasks by shop and status.
 */
import type { Band } from "../playbook/types";
import {
  atRiskWeekMembers,
  moneyByCurrency,
  viewOf,
  WEEK_VIEWS,
  type AtRiskWeekMember,
  type BandMove,
  type HealthNow,
  type MoneyByCurrency,
  type TaskInHand,
  type WeekView,
} from "./at-risk-week";

/** Runs one SELECT with positional `?` parameters. */
export type SqlRead = (sql: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;

export interface WeekBounds {
  key: string;
  start: Date;
  end: Date;
}

export interface AtRiskWeekQuery {
  shop: string;
  week: WeekBounds;
  /** The current week reads health as it stands; a past week, its weekly snapshots. */
  isCurrent: boolean;
  now: Date;
  shopCurrency: string;
  /** Read one subscriber only (the customer page block). */
  only?: string;
}

export type AtRiskWeekEntry = AtRiskWeekMember & { view: WeekView };

export interface AtRiskWeekResult {
  /** Highest monthly value first. */
  members: AtRiskWeekEntry[];
  counts: Record<WeekView, number>;
  /** Monthly value per tab, by currency. */
  totals: Record<WeekView, MoneyByCurrency>;
}

const CHUNK = 500;
/** DateTime as Prisma's SQLite adapter stores it (text, compared as text). */
const sqlTime = (d: Date) => d.toISOString().replace("Z", "+00:00");
const toDate = (v: unknown): Date | null => (v == null ? null : v instanceof Date ? v : new Date(typeof v === "number" ? v : String(v)));
const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

async function inChunks(ids: readonly string[], read: (chunk: string[]) => Promise<Record<string, unknown>[]>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

const healthRow = (r: Record<string, unknown>): HealthNow => ({
  subscriberId: String(r.subscriberId),
  band: String(r.band) as Band,
  score: Number(r.score),
  live: Boolean(Number(r.live)),
  monthlyValue: Number(r.monthlyValue ?? 0),
  currency: r.currency == null ? null : String(r.currency),
});

const CURRENT = `SELECT h.subscriberId AS subscriberId, h.band AS band, h.score AS score, h.live AS live, s.monthlyValue AS monthlyValue, s.currency AS currency
  FROM HealthScore h JOIN Subscriber s ON s.id = h.subscriberId`;
const SNAPSHOT = `SELECT w.subscriberId AS subscriberId, w.band AS band, w.score AS score, w.live AS live, s.monthlyValue AS monthlyValue, s.currency AS currency
  FROM HealthHistory w JOIN Subscriber s ON s.id = w.subscriberId`;

/** Live subscribers in at risk or critical now (or at the past week's end). */
function atRiskHealth(sql: SqlRead, q: AtRiskWeekQuery): Promise<Record<string, unknown>[]> {
  const one = q.only ? [q.only] : [];
  return q.isCurrent
    ? sql(`${CURRENT} WHERE h.shop = ? AND h.live = 1 AND h.band IN ('at_risk', 'critical')${q.only ? " AND h.subscriberId = ?" : ""}`, [q.shop, ...one])
    : sql(`${SNAPSHOT} WHERE w.shop = ? AND w.kind = 'weekly' AND w.periodKey = ? AND w.live = 1 AND w.band IN ('at_risk', 'critical')${q.only ? " AND w.subscriberId = ?" : ""}`, [q.shop, q.week.key, ...one]);
}

/**
 * Health of `ids` by primary key (the current score) or by the snapshot's unique key; the shop
 * is checked on the rows read, not in the WHERE, so SQLite never walks the shop's whole index.
 */
async function healthOf(sql: SqlRead, q: AtRiskWeekQuery, ids: string[]): Promise<Record<string, unknown>[]> {
  const rows = await inChunks(ids, (chunk) =>
    q.isCurrent
      ? sql(`${CURRENT.replace("SELECT ", "SELECT h.shop AS shop, ")} WHERE h.subscriberId IN (${placeholders(chunk.length)})`, chunk)
      : sql(`${SNAPSHOT.replace("SELECT ", "SELECT w.shop AS shop, ")} WHERE w.subscriberId IN (${placeholders(chunk.length)}) AND w.kind = 'weekly' AND w.periodKey = ?`, [...chunk, q.week.key]),
  );
  return rows.filter((r) => r.shop === q.shop);
}

/** The week's band changes, by the instant of each change (a band_change's periodKey is that instant). */
export async function bandMovesIn(sql: SqlRead, shop: string, week: WeekBounds, only?: string): Promise<BandMove[]> {
  const rows = await sql(
    `SELECT subscriberId, periodKey, band, fromBand, live FROM HealthHistory
     WHERE shop = ? AND kind = 'band_change' AND periodKey >= ? AND periodKey < ?${only ? " AND subscriberId = ?" : ""}`,
    [shop, week.start.toISOString(), week.end.toISOString(), ...(only ? [only] : [])],
  );
  return rows.map((r) => ({
    subscriberId: String(r.subscriberId),
    at: new Date(String(r.periodKey)),
    band: String(r.band) as Band,
    fromBand: r.fromBand == null ? null : (String(r.fromBand) as Band),
    live: Boolean(Number(r.live)),
  }));
}

/** Which of `ids` are still subscribed now: read by primary key, the shop checked on the rows. */
export async function liveAmong(sql: SqlRead, shop: string, ids: string[]): Promise<Set<string>> {
  const rows = await inChunks(ids, (chunk) => sql(`SELECT subscriberId, shop, live FROM HealthScore WHERE subscriberId IN (${placeholders(chunk.length)})`, chunk));
  return new Set(rows.filter((r) => r.shop === shop && Boolean(Number(r.live))).map((r) => String(r.subscriberId)));
}

/** Each member's task in hand: the newest open or snoozed one. */
async function tasksInHand(sql: SqlRead, shop: string, ids: string[]): Promise<Map<string, TaskInHand>> {
  const rows = await inChunks(ids, (chunk) =>
    sql(
      `SELECT subscriberId, status, snoozedUntil FROM Task
       WHERE shop = ? AND status IN ('open', 'snoozed') AND subscriberId IN (${placeholders(chunk.length)}) ORDER BY createdAt ASC`,
      [shop, ...chunk],
    ),
  );
  return new Map(rows.map((r) => [String(r.subscriberId), { status: String(r.status), snoozedUntil: toDate(r.snoozedUntil) }]));
}

/** Members whose task was closed (dismissed) during the week; a task that closed itself (cancelled, recovered) is no dismissal. */
async function dismissedIn(sql: SqlRead, shop: string, week: WeekBounds, ids: string[]): Promise<Set<string>> {
  const rows = await inChunks(ids, (chunk) =>
    sql(
      `SELECT DISTINCT subscriberId FROM Task
       WHERE shop = ? AND status = 'done' AND closedAt >= ? AND closedAt < ?
         AND (closeReason IS NULL OR closeReason NOT IN ('cancelled', 'recovered')) AND subscriberId IN (${placeholders(chunk.length)})`,
      [shop, sqlTime(week.start), sqlTime(week.end), ...chunk],
    ),
  );
  return new Set(rows.map((r) => String(r.subscriberId)));
}

const emptyCounts = (): Record<WeekView, number> => ({ review: 0, snoozed: 0, dismissed: 0, recovered: 0 });

/** The week's list: every member with its tab, the count and the money of each tab. */
export async function readAtRiskWeek(sql: SqlRead, q: AtRiskWeekQuery): Promise<AtRiskWeekResult> {
  const [atRisk, moves] = await Promise.all([atRiskHealth(sql, q), bandMovesIn(sql, q.shop, q.week, q.only)]);
  const known = new Set(atRisk.map((r) => String(r.subscriberId)));
  const others = [...new Set(moves.map((m) => m.subscriberId))].filter((id) => !known.has(id));
  const health = [...atRisk, ...(others.length ? await healthOf(sql, q, others) : [])].map(healthRow);
  const members = atRiskWeekMembers(health, moves, q.shopCurrency);

  const ids = members.map((m) => m.subscriberId);
  const [tasks, dismissed] = q.isCurrent && ids.length ? await Promise.all([tasksInHand(sql, q.shop, ids), dismissedIn(sql, q.shop, q.week, ids)]) : [new Map<string, TaskInHand>(), new Set<string>()];
  // A past week is read as it ended: who was on it, and who was back by then.
  const entries: AtRiskWeekEntry[] = members.map((m) => ({
    ...m,
    view: q.isCurrent ? viewOf(m, tasks.get(m.subscriberId), dismissed.has(m.subscriberId), q.now) : m.recovered ? "recovered" : "review",
  }));
  const counts = emptyCounts();
  for (const e of entries) counts[e.view] += 1;
  const totals = Object.fromEntries(WEEK_VIEWS.map((v) => [v, moneyByCurrency(entries.filter((e) => e.view === v))])) as Record<WeekView, MoneyByCurrency>;
  return { members: entries, counts, totals };
}
