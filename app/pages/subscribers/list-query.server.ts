/**
 * Which subscribers make up one page of the list, for stores of 100,000 subscribers.
 *
 * The list opens on a view sorted by health score. Read as one ORDER BY over the whole
 * store that is a sort of every row, so the default views are read as parts, each in the
 * order of an index and each counted from an index:
 *   A. still subscribed, scored exactly 0 (few: HealthScore(shop, live, band))
 *   B. still subscribed, scored above 0 (HealthScore(shop, score), read in order and stopped at the page)
 *   C. everyone else in the view: ended, or not scored yet (read only on the last pages)
 * Ended subscribers are stored at score 0, so without the split they would fill the first
 * pages; A and B step past them by the index. Filters, search and the other sorts match
 * fewer rows or have no index to follow: one statement reads the page and its count together.
 */
import { Prisma } from "@prisma/client";
import prisma from "../../db.server";
import { slicesOf } from "./page-slices";
import type { SortDirection, SubscriberSort, SubscriberView } from "./subscribers-options";

export interface ListFilter {
  view: SubscriberView;
  band?: string;
  tenure?: string;
  value?: string;
  trigger?: string;
  q?: string;
  sort: SubscriberSort;
  direction: SortDirection;
}

export interface PageOfIds {
  ids: string[];
  total: number;
}

const AT_RISK_BANDS = Prisma.sql`('at_risk', 'critical')`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Conditions on s (Subscriber) and h (HealthScore, left-joined) for one view. */
function viewCondition(view: SubscriberView): Prisma.Sql {
  switch (view) {
    case "active":
      return Prisma.sql`s.status = 'active'`;
    case "paused":
      return Prisma.sql`s.status = 'paused'`;
    case "cancelled":
      return Prisma.sql`s.status = 'cancelled'`;
    case "at_risk":
      // Still subscribed and at risk or critical now: an ended subscriber is never at risk.
      return Prisma.sql`h.live = 1 AND h.band IN ${AT_RISK_BANDS}`;
    case "all":
      return Prisma.sql`1 = 1`;
  }
}

function filterConditions(shop: string, f: ListFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  // A band or a segment is a live score's: an ended subscriber is "Cancelled", not "Critical".
  if (f.band) conditions.push(Prisma.sql`h.live = 1 AND h.band = ${f.band}`);
  if (f.tenure && f.value) conditions.push(Prisma.sql`h.live = 1 AND h.segmentKey = ${`${f.tenure}:${f.value}`}`);
  else if (f.tenure) conditions.push(Prisma.sql`h.live = 1 AND h.segmentKey LIKE ${`${f.tenure}:%`}`);
  else if (f.value) conditions.push(Prisma.sql`h.live = 1 AND h.segmentKey LIKE ${`%:${f.value}`}`);
  if (f.trigger) {
    // Uses Firing(shop, triggerKey, firedAt): the trigger's firings, not every subscriber's.
    conditions.push(Prisma.sql`s.id IN (SELECT f.subscriberId FROM Firing f WHERE f.shop = ${shop} AND f.triggerKey = ${f.trigger})`);
  }
  if (f.q) {
    // One pass over the store's subscribers; the full name is put together only for those
    // without a display name (Shopify's customer always has one once read).
    const like = `%${escapeLike(f.q)}%`;
    conditions.push(
      Prisma.sql`(s.email LIKE ${like} ESCAPE '\\' OR s.displayName LIKE ${like} ESCAPE '\\' OR (s.displayName IS NULL AND (COALESCE(s.firstName, '') || ' ' || COALESCE(s.lastName, '')) LIKE ${like} ESCAPE '\\'))`,
    );
  }
  return conditions;
}

function hasFilters(f: ListFilter): boolean {
  return Boolean(f.band || f.tenure || f.value || f.trigger || f.q);
}

/** The page's ids and the list's size. */
export async function pageOfIds(shop: string, f: ListFilter, offset: number, limit: number, lastWeekKey: string): Promise<PageOfIds> {
  const plain = !hasFilters(f);
  // An ended subscriber has no score to sort by, nor a change since last week.
  if (plain && f.view === "cancelled" && f.sort !== "value") return cancelledInOrder(shop, offset, limit);
  if (plain && (f.view === "active" || f.view === "all")) {
    if (f.sort === "score") return byScoreParts(shop, f.view, f.direction, offset, limit);
    if (f.sort === "change") return byChangeParts(shop, f.view, f.direction, offset, limit, lastWeekKey);
  }
  return inOneStatement(shop, f, offset, limit, lastWeekKey);
}

/**
 * Any other list: one statement for the page and one for its count. Lists that need a live
 * score (At risk, a band, a segment) are read from HealthScore's indexes; the others from
 * Subscriber(shop, status). A search reads every subscriber of the store once, so its page
 * and count come from that one pass.
 */
async function inOneStatement(shop: string, f: ListFilter, offset: number, limit: number, lastWeekKey: string): Promise<PageOfIds> {
  const byScore = f.view === "at_risk" || Boolean(f.band || f.tenure || f.value);
  const from = byScore
    ? Prisma.sql`FROM HealthScore h CROSS JOIN Subscriber s ON s.id = h.subscriberId`
    : Prisma.sql`FROM Subscriber s LEFT JOIN HealthScore h ON h.subscriberId = s.id`;
  const where = Prisma.join(
    [Prisma.sql`s.shop = ${shop}`, ...(byScore ? [Prisma.sql`h.shop = ${shop}`] : []), viewCondition(f.view), ...filterConditions(shop, f)],
    " AND ",
  );
  const dir = Prisma.raw(f.direction === "asc" ? "ASC" : "DESC");
  const change = f.sort === "change";
  const lastWeek = change
    ? Prisma.sql`LEFT JOIN HealthHistory p ON p.subscriberId = s.id AND p.kind = 'weekly' AND p.periodKey = ${lastWeekKey}`
    : Prisma.empty;
  // Ended subscribers last; then the sort; without a value (no score, no snapshot) after those with one.
  const key =
    f.sort === "value"
      ? Prisma.sql`s.monthlyValue ${dir}`
      : change
        ? Prisma.sql`(h.score - p.score) IS NULL, (h.score - p.score) ${dir}`
        : Prisma.sql`h.score IS NULL, h.score ${dir}`;
  const order = Prisma.sql`ORDER BY s.status = 'cancelled', ${key}, s.rowid ASC`;
  if (f.q) {
    const rows = await prisma.$queryRaw<{ id: string; total: number | bigint }[]>`
      SELECT s.id AS id, COUNT(*) OVER () AS total ${from} ${lastWeek} WHERE ${where} ${order} LIMIT ${limit} OFFSET ${offset}`;
    if (rows.length || offset === 0) return { ids: rows.map((r) => r.id), total: Number(rows[0]?.total ?? 0) };
  }
  const [ids, total] = await Promise.all([
    idsOf(Prisma.sql`SELECT s.id AS id ${from} ${lastWeek} WHERE ${where} ${order} LIMIT ${limit} OFFSET ${offset}`),
    count(Prisma.sql`SELECT COUNT(*) AS n ${from} WHERE ${where}`),
  ]);
  return { ids, total };
}

const count = async (sql: Prisma.Sql) => Number((await prisma.$queryRaw<{ n: number | bigint }[]>(sql))[0]?.n ?? 0);
const idsOf = async (sql: Prisma.Sql) => (await prisma.$queryRaw<{ id: string }[]>(sql)).map((r) => r.id);

/** Active or everyone, by score: parts A, B and C above, each counted and read by its index. */
async function byScoreParts(shop: string, view: "active" | "all", direction: SortDirection, offset: number, limit: number): Promise<PageOfIds> {
  const active = view === "active";
  // Still subscribed but not active (paused, not known yet): few, listed once for the parts to leave out.
  // The planner's statistics average the statuses (a third each), so it would scan the store
  // for them: the index is named.
  const notActive = active
    ? Prisma.sql`AND h.subscriberId NOT IN (SELECT id FROM Subscriber INDEXED BY Subscriber_shop_status_idx WHERE shop = ${shop} AND status IN ('paused', 'unknown'))`
    : Prisma.empty;
  const [total, live, liveNotActive, zero] = await Promise.all([
    count(active ? Prisma.sql`SELECT COUNT(*) AS n FROM Subscriber WHERE shop = ${shop} AND status = 'active'` : Prisma.sql`SELECT COUNT(*) AS n FROM Subscriber WHERE shop = ${shop}`),
    count(Prisma.sql`SELECT COUNT(*) AS n FROM HealthScore WHERE shop = ${shop} AND live = 1`),
    active
      ? count(Prisma.sql`SELECT COUNT(*) AS n FROM Subscriber s INDEXED BY Subscriber_shop_status_idx JOIN HealthScore h ON h.subscriberId = s.id WHERE s.shop = ${shop} AND s.status IN ('paused', 'unknown') AND h.live = 1`)
      : Promise.resolve(0),
    count(Prisma.sql`SELECT COUNT(*) AS n FROM HealthScore h WHERE h.shop = ${shop} AND h.live = 1 AND h.band = 'critical' AND +h.score = 0 ${notActive}`),
  ]);
  const above = Math.max(0, live - liveNotActive - zero);
  const rest = Math.max(0, total - zero - above);
  const dir = Prisma.raw(direction === "asc" ? "ASC" : "DESC");
  const parts = [
    (o: number, n: number) =>
      idsOf(Prisma.sql`SELECT h.subscriberId AS id FROM HealthScore h WHERE h.shop = ${shop} AND h.live = 1 AND h.band = 'critical' AND +h.score = 0 ${notActive}
        ORDER BY h.rowid LIMIT ${n} OFFSET ${o}`),
    (o: number, n: number) =>
      idsOf(Prisma.sql`SELECT h.subscriberId AS id FROM HealthScore h WHERE h.shop = ${shop} AND h.score > 0 AND +h.live = 1 ${notActive}
        ORDER BY h.score ${dir}, h.rowid ${dir} LIMIT ${n} OFFSET ${o}`),
    (o: number, n: number) =>
      idsOf(Prisma.sql`SELECT s.id AS id FROM Subscriber s WHERE s.shop = ${shop} ${active ? Prisma.sql`AND s.status = 'active'` : Prisma.empty}
        AND NOT EXISTS (SELECT 1 FROM HealthScore h WHERE h.subscriberId = s.id AND h.live = 1)
        ORDER BY s.rowid LIMIT ${n} OFFSET ${o}`),
  ];
  // Lowest first: 0, then above 0; highest first: above 0, then 0. The rest come last either way.
  const order = direction === "asc" ? [0, 1, 2] : [1, 0, 2];
  const sizes = [zero, above, rest];
  const slices = slicesOf(
    order.map((i) => sizes[i]),
    offset,
    limit,
  );
  const ids: string[] = [];
  for (const slice of slices) ids.push(...(await parts[order[slice.part]](slice.offset, slice.limit)));
  return { ids, total };
}

/**
 * Active or everyone, by the change since last week: those with last week's snapshot, read
 * from the snapshots' index HealthHistory(shop, kind, periodKey) and sorted with their count in
 * one pass; then everyone else in the view (no snapshot: new, or ended), read only on the last pages.
 */
async function byChangeParts(
  shop: string,
  view: "active" | "all",
  direction: SortDirection,
  offset: number,
  limit: number,
  lastWeekKey: string,
): Promise<PageOfIds> {
  const active = view === "active";
  const notActive = active
    ? Prisma.sql`AND h.subscriberId NOT IN (SELECT id FROM Subscriber INDEXED BY Subscriber_shop_status_idx WHERE shop = ${shop} AND status IN ('paused', 'unknown'))`
    : Prisma.empty;
  const dir = Prisma.raw(direction === "asc" ? "ASC" : "DESC");
  const known = (o: number, n: number) =>
    prisma.$queryRaw<{ id: string; total: number | bigint }[]>`
      SELECT p.subscriberId AS id, COUNT(*) OVER () AS total
      FROM HealthHistory p CROSS JOIN HealthScore h ON h.subscriberId = p.subscriberId
      WHERE p.shop = ${shop} AND p.kind = 'weekly' AND p.periodKey = ${lastWeekKey} AND +h.live = 1 ${notActive}
      ORDER BY h.score - p.score ${dir}, h.rowid ${dir} LIMIT ${n} OFFSET ${o}`;
  const [first, total] = await Promise.all([
    known(offset, limit),
    count(active ? Prisma.sql`SELECT COUNT(*) AS n FROM Subscriber WHERE shop = ${shop} AND status = 'active'` : Prisma.sql`SELECT COUNT(*) AS n FROM Subscriber WHERE shop = ${shop}`),
  ]);
  // The known part's size: from its own rows, or (a page past them) counted.
  const knownCount = first.length
    ? Number(first[0].total)
    : Number((await known(0, 1))[0]?.total ?? 0);
  const ids = first.map((r) => r.id);
  const restSlice = slicesOf([knownCount, Math.max(0, total - knownCount)], offset, limit).find((slice) => slice.part === 1);
  if (restSlice) {
    ids.push(
      ...(await idsOf(Prisma.sql`SELECT s.id AS id FROM Subscriber s WHERE s.shop = ${shop} ${active ? Prisma.sql`AND s.status = 'active'` : Prisma.empty}
        AND NOT EXISTS (SELECT 1 FROM HealthHistory p JOIN HealthScore h ON h.subscriberId = p.subscriberId
          WHERE p.subscriberId = s.id AND p.kind = 'weekly' AND p.periodKey = ${lastWeekKey} AND h.live = 1)
        ORDER BY s.rowid LIMIT ${restSlice.limit} OFFSET ${restSlice.offset}`)),
    );
  }
  return { ids, total };
}

/** Ended subscribers all score 0: the most recently added first, in the order of Subscriber(shop, status). */
async function cancelledInOrder(shop: string, offset: number, limit: number): Promise<PageOfIds> {
  const [total, ids] = await Promise.all([
    count(Prisma.sql`SELECT COUNT(*) AS n FROM Subscriber WHERE shop = ${shop} AND status = 'cancelled'`),
    idsOf(Prisma.sql`SELECT id FROM Subscriber WHERE shop = ${shop} AND status = 'cancelled' ORDER BY rowid DESC LIMIT ${limit} OFFSET ${offset}`),
  ]);
  return { ids, total };
}
