// The subscribers list and one subscriber's page: loaders on a simulated store's real data.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader as listLoader } from "~/routes/app.subscribers._index";
import { loader as detailLoader } from "~/routes/app.subscribers.$id";
import { PAGE_SIZE, SUBSCRIBER_VIEWS } from "~/pages/subscribers/subscribers-options";
import { nextBillingAfter, subscriberNextBilling } from "~/pages/subscribers/next-billing";
import { groupTimeline, runLabel } from "~/pages/subscribers/timeline-groups";
import { slicesOf } from "~/pages/subscribers/page-slices";
import { currentWeek, shiftWeek } from "~/health/weeks.server";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";

const SHOP = "subscribers-page.myshopify.com";
const OTHER = "another-store.myshopify.com";
const DAY_MS = 86_400_000;

const list = (query = "") => callRoute(listLoader, adminRequest(SHOP, `/app/subscribers${query}`));
const detail = (id: string, shop = SHOP) => callRoute(detailLoader, adminRequest(shop, `/app/subscribers/${id}`), { id });
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * Seeded two weeks back and scored again each week since, so that there is a score
 * history and a change since last week to sort by. The simulated store is mostly
 * healthy, so yesterday some of its subscribers skipped twice and had their card
 * refused: their scores drop and the playbook fires (plays, holdouts, tasks).
 */
async function troubleYesterday(shop: string, count: number, now: Date) {
  const { appendEvents } = await import("~/models/timeline.server");
  const yesterday = new Date(now.getTime() - DAY_MS);
  const chosen = await prisma.subscriber.findMany({
    where: { shop, status: "active" },
    orderBy: { id: "asc" },
    take: count,
    include: { contracts: { where: { status: "active" }, take: 1 } },
  });
  for (const s of chosen) {
    const contractId = s.contracts[0]?.contractId ?? null;
    await appendEvents(prisma, shop, s.id, [
      { type: "cycle.skipped", occurredAt: new Date(yesterday.getTime() - 3_600_000), contractId, data: { cycleIndex: 90 }, sourceKey: `test-skip-1-${s.id}` },
      { type: "cycle.skipped", occurredAt: new Date(yesterday.getTime() - 1_800_000), contractId, data: { cycleIndex: 91 }, sourceKey: `test-skip-2-${s.id}` },
      {
        type: "billing.failed",
        occurredAt: yesterday,
        contractId,
        data: { errorCode: "PAYMENT_METHOD_DECLINED", failureClass: "hard_decline" },
        sourceKey: `test-decline-${s.id}`,
      },
    ]);
  }
}

beforeAll(async () => {
  const now = new Date();
  await seededShop(SHOP, { subscribers: 300, now: new Date(now.getTime() - 14 * DAY_MS) });
  const { startRescore, scoreDirtySubscribers } = await import("~/rescore/index.server");
  const rescore = async (at: Date) => {
    await startRescore(SHOP, "test week", at);
    while ((await scoreDirtySubscribers(at, 2000)) > 0);
  };
  await rescore(new Date(now.getTime() - 7 * DAY_MS));
  await troubleYesterday(SHOP, 60, now);
  await rescore(now);
  await seededShop(OTHER, { subscribers: 40, seed: 5 });
}, 120_000);

describe("the subscribers list", () => {
  it("shows the shop's subscribers PAGE_SIZE at a time, page 2 carrying on from page 1", async () => {
    const one = await list("?view=all");
    const two = await list("?view=all&page=2");
    expect(one.status).toBe(200);
    expect(one.body.total).toBe(300);
    expect(one.body.rows).toHaveLength(PAGE_SIZE);
    expect(one.body.hasPrevious).toBe(false);
    expect(one.body.hasNext).toBe(true);
    expect(two.body.page).toBe(2);
    expect(two.body.rows).toHaveLength(PAGE_SIZE);
    expect(two.body.hasPrevious).toBe(true);
    const overlap = ids(two.body.rows).filter((id) => ids(one.body.rows).includes(id));
    expect(overlap).toEqual([]);
  });

  it("reaches every subscriber once across all pages", async () => {
    const first = await list("?view=all");
    const seen: string[] = [];
    for (let page = 1; page <= first.body.pageCount; page++) seen.push(...ids((await list(`?view=all&page=${page}`)).body.rows));
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
  });

  it("filters by health band, and the bands add up to everyone still subscribed and scored", async () => {
    const scored = await prisma.healthScore.count({ where: { shop: SHOP, live: true } });
    let sum = 0;
    for (const band of ["healthy", "watch", "at_risk", "critical"]) {
      const { body } = await list(`?view=all&band=${band}`);
      for (const row of body.rows) expect(row.band).toBe(band);
      for (const row of body.rows) expect(row.status).not.toBe("cancelled");
      sum += body.total;
    }
    expect(sum).toBe(scored);
    const critical = await list("?view=all&band=critical");
    expect(critical.body.total).toBeGreaterThan(0);
    expect(critical.body.total).toBeLessThan(300);
  });

  it("filters by segment: tenure and value together or apart", async () => {
    const both = await list("?view=all&tenure=established&value=high");
    expect(both.body.total).toBeGreaterThan(0);
    for (const row of both.body.rows) expect(row.segmentKey).toBe("established:high");
    const low = await list("?value=low");
    for (const row of low.body.rows) expect(row.segmentKey).toMatch(/:low$/);
    expect(low.body.total).toBeLessThan(300);
  });

  it("takes an old link's status filter as that status's view", async () => {
    const paused = await prisma.subscriber.count({ where: { shop: SHOP, status: "paused" } });
    const { body } = await list("?status=paused");
    expect(body.query.view).toBe("paused");
    expect(body.total).toBe(paused);
  });

  it("filters to the subscribers a trigger picked", async () => {
    const [busiest] = await prisma.firing.groupBy({ by: ["triggerKey"], where: { shop: SHOP }, _count: { _all: true }, orderBy: { _count: { triggerKey: "desc" } } });
    if (!busiest) throw new Error("the seeded shop has no firings to filter by");
    const picked = new Set((await prisma.firing.findMany({ where: { shop: SHOP, triggerKey: busiest.triggerKey }, select: { subscriberId: true } })).map((f) => f.subscriberId));
    const { body } = await list(`?view=all&trigger=${encodeURIComponent(busiest.triggerKey)}`);
    expect(body.triggers.map((t: { key: string }) => t.key)).toContain(busiest.triggerKey);
    expect(body.total).toBe(picked.size);
    for (const row of body.rows) expect(picked.has(row.id)).toBe(true);
  });

  it("finds a subscriber by email, whatever the case, and by name", async () => {
    const known = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, email: { not: null }, firstName: { not: null } }, orderBy: { id: "desc" } });
    const byEmail = await list(`?view=all&q=${encodeURIComponent(known.email!.toUpperCase())}`);
    expect(ids(byEmail.body.rows)).toContain(known.id);
    expect(byEmail.body.total).toBeLessThan(5);
    const byName = await list(`?view=all&q=${encodeURIComponent(`${known.firstName} ${known.lastName ?? ""}`.trim())}`);
    expect(ids(byName.body.rows)).toContain(known.id);
  });

  it("says there are no results for a search that matches no one, and for another shop's email", async () => {
    const none = await list("?view=all&q=nobody-by-this-name-%25");
    expect(none.status).toBe(200);
    expect(none.body.total).toBe(0);
    expect(none.body.rows).toEqual([]);
    const theirs = await prisma.subscriber.findFirstOrThrow({ where: { shop: OTHER, email: { not: null } } });
    expect((await list(`?view=all&q=${encodeURIComponent(theirs.email!)}`)).body.total).toBe(0);
  });

  it("sorts by score, lowest first by default and highest first when asked, across pages", async () => {
    const low = [...(await list()).body.rows, ...(await list("?page=2")).body.rows].map((r) => r.score);
    expect(low.every((s) => s !== null)).toBe(true);
    expect(low).toEqual([...low].sort((a, b) => a - b));
    const high = (await list("?sort=score&direction=desc")).body.rows.map((r: { score: number }) => r.score);
    expect(high).toEqual([...high].sort((a, b) => b - a));
    expect(high[0]).toBeGreaterThan(low[0]);
  });

  it("sorts by monthly value, highest first", async () => {
    const { body } = await list("?sort=value");
    expect(body.query.direction).toBe("desc");
    const values = body.rows.map((r: { monthlyValue: number }) => r.monthlyValue);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it("sorts by the change since last week, biggest drop first, unknown changes last", async () => {
    const { body } = await list("?sort=change");
    const changes: (number | null)[] = body.rows.map((r: { change: number | null }) => r.change);
    const known = changes.filter((c): c is number => c !== null);
    expect(known.length).toBeGreaterThan(0);
    expect(changes.slice(0, known.length)).toEqual([...known].sort((a, b) => a - b));
  });

  it("ignores parameters it does not understand and shows the unfiltered first page", async () => {
    const plain = await list();
    const odd = await list("?view=sideways&band=purple&sort=sideways&direction=up&page=abc&status=&tenure=ancient");
    expect(odd.status).toBe(200);
    expect(odd.body.query).toMatchObject({ view: "active", sort: "score", direction: "asc", page: 1 });
    expect(odd.body.query.band).toBeUndefined();
    expect(odd.body.total).toBe(plain.body.total);
    expect(ids(odd.body.rows)).toEqual(ids(plain.body.rows));
  });

  it("shows the last page for a page past the end", async () => {
    const { status, body } = await list("?view=all&page=999");
    expect(status).toBe(200);
    expect(body.page).toBe(Math.ceil(300 / PAGE_SIZE));
    expect(body.rows.length).toBeGreaterThan(0);
    expect(body.hasNext).toBe(false);
  });

  it("refuses a request without a session token", async () => {
    const { status } = await callRoute(listLoader, adminRequest(SHOP, "/app/subscribers", { unauthenticated: true }));
    expect([302, 401]).toContain(status);
  });
});

describe("the saved views", () => {
  const countOf = (where: object) => prisma.subscriber.count({ where: { shop: SHOP, ...where } });

  // Scored as they cancelled, as the pipeline leaves them: 0, critical, no longer live.
  beforeAll(async () => {
    const unscored = await prisma.subscriber.findMany({ where: { shop: SHOP, status: "cancelled", health: null }, select: { id: true } });
    const at = new Date();
    await prisma.healthScore.createMany({
      data: unscored.map((s) => ({
        subscriberId: s.id,
        shop: SHOP,
        score: 0,
        band: "critical",
        segmentKey: "established:low",
        factors: JSON.stringify([{ signal: "cancelled", points: -100, share: 1, text: "Cancelled on Jun 5" }]),
        signals: "{}",
        computedAt: at,
        bandSince: at,
        live: false,
      })),
    });
    expect(await prisma.healthScore.count({ where: { shop: SHOP, live: false, score: 0 } })).toBeGreaterThan(0);
  });

  it("opens on Active: everyone with an active subscription, and no one else", async () => {
    const { body } = await list();
    expect(body.query.view).toBe("active");
    expect(body.total).toBe(await countOf({ status: "active" }));
    expect(body.rows.length).toBeGreaterThan(0);
    for (const row of body.rows) expect(row.status).toBe("active");
  });

  it("has a view for each of Active, At risk, Paused, Cancelled and All, each with its own address", async () => {
    expect([...SUBSCRIBER_VIEWS]).toEqual(["active", "at_risk", "paused", "cancelled", "all"]);
    const totals: Record<string, number> = {};
    for (const view of SUBSCRIBER_VIEWS) {
      const { body } = await list(`?view=${view}`);
      expect(body.query.view).toBe(view);
      totals[view] = body.total;
    }
    expect(totals.paused).toBe(await countOf({ status: "paused" }));
    expect(totals.cancelled).toBe(await countOf({ status: "cancelled" }));
    expect(totals.cancelled).toBeGreaterThan(0);
    expect(totals.all).toBe(300);
    expect(totals.at_risk).toBe(await prisma.healthScore.count({ where: { shop: SHOP, live: true, band: { in: ["at_risk", "critical"] } } }));
    expect(totals.at_risk).toBeGreaterThan(0);
  });

  it("lists At risk as those still subscribed in at risk or critical, lowest score first", async () => {
    const { body } = await list("?view=at_risk");
    for (const row of body.rows) {
      expect(["at_risk", "critical"]).toContain(row.band);
      expect(row.status).not.toBe("cancelled");
    }
    const scores = body.rows.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
  });

  it("never shows a cancelled subscriber with a score or a band, on any view", async () => {
    for (const view of SUBSCRIBER_VIEWS) {
      const first = await list(`?view=${view}`);
      for (let page = 1; page <= first.body.pageCount; page++) {
        const { body } = page === 1 ? first : await list(`?view=${view}&page=${page}`);
        for (const row of body.rows.filter((r: { status: string }) => r.status === "cancelled")) {
          expect(row).toMatchObject({ score: null, band: null, change: null, nextBillingAt: null });
          expect(row.cancellation.at).toMatch(/^\d{4}-/);
        }
      }
    }
  });

  it("says when a cancelled subscriber cancelled and the reason they gave", async () => {
    const { appendEvents } = await import("~/models/timeline.server");
    const gone = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, status: "cancelled" }, orderBy: { id: "asc" } });
    const at = new Date(Date.now() - 2 * DAY_MS);
    await appendEvents(prisma, SHOP, gone.id, [
      { type: "contract.cancelled", occurredAt: at, contractId: null, data: { cancelReason: "Too much coffee" }, sourceKey: `test-cancel-${gone.id}` },
    ]);
    const row = (await list(`?view=cancelled&q=${encodeURIComponent(gone.email!)}`)).body.rows.find((r: { id: string }) => r.id === gone.id);
    expect(row.cancellation).toEqual({ how: "cancelled", at: at.toISOString(), reason: "Too much coffee" });
    const page = (await detail(gone.id)).body;
    expect(page.health).toBeNull();
    expect(page.subscriber.cancellation).toEqual({ how: "cancelled", at: at.toISOString(), reason: "Too much coffee" });
    expect(page.subscriber.nextBillingAt).toBeNull();
  });

  it("lists everyone still subscribed before those who ended, in the All view by score", async () => {
    const first = await list("?view=all");
    const statuses: string[] = [];
    for (let page = 1; page <= first.body.pageCount; page++) statuses.push(...(await list(`?view=all&page=${page}`)).body.rows.map((r: { status: string }) => r.status));
    const firstEnded = statuses.indexOf("cancelled");
    expect(firstEnded).toBeGreaterThan(0);
    expect(statuses.slice(firstEnded).every((s) => s === "cancelled")).toBe(true);
  });

  it("reaches everyone in a view once, in order, whatever the sort", async () => {
    for (const [view, sort, direction] of [
      ["active", "score", "asc"],
      ["active", "score", "desc"],
      ["active", "change", "asc"],
      ["all", "change", "desc"],
      ["all", "score", "desc"],
      ["cancelled", "value", "desc"],
    ]) {
      const query = `?view=${view}&sort=${sort}&direction=${direction}`;
      const first = await list(query);
      const rows: { id: string; score: number | null; change: number | null }[] = [];
      for (let page = 1; page <= first.body.pageCount; page++) rows.push(...(await list(`${query}&page=${page}`)).body.rows);
      expect(rows.length, query).toBe(first.body.total);
      expect(new Set(ids(rows)).size, query).toBe(rows.length);
      const keys = rows.map((r) => (sort === "change" ? r.change : sort === "score" ? r.score : 0)).filter((k): k is number => k !== null);
      expect(keys, query).toEqual([...keys].sort((a, b) => (direction === "asc" ? a - b : b - a)));
    }
  });

  it("searches within the view", async () => {
    const gone = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, status: "cancelled", email: { not: null } } });
    expect(ids((await list(`?view=cancelled&q=${encodeURIComponent(gone.email!)}`)).body.rows)).toContain(gone.id);
    expect((await list(`?view=active&q=${encodeURIComponent(gone.email!)}`)).body.total).toBe(0);
  });
});

describe("change since last week", () => {
  it("is the score now minus the subscriber's weekly snapshot of last week", async () => {
    const { body } = await list();
    const lastWeek = shiftWeek(currentWeek(new Date(), "UTC").key, -1);
    expect(body.lastWeekKey).toBe(lastWeek);
    const snapshots = await prisma.healthHistory.findMany({ where: { subscriberId: { in: ids(body.rows) }, kind: "weekly", periodKey: lastWeek } });
    expect(snapshots.length).toBeGreaterThan(0);
    const before = new Map(snapshots.map((h) => [h.subscriberId, h.score]));
    for (const row of body.rows) {
      const was = before.get(row.id);
      expect(row.change).toBe(was === undefined ? null : row.score - was);
    }
    expect(body.rows.filter((r: { change: number | null }) => r.change !== null && r.change !== 0).length).toBeGreaterThan(0);
  });

  it("is blank only for a subscriber with no snapshot last week", async () => {
    const { body } = await list("?view=active&sort=value");
    const [one] = body.rows;
    expect(one.change).not.toBeNull();
    await prisma.healthHistory.deleteMany({ where: { subscriberId: one.id, kind: "weekly", periodKey: body.lastWeekKey } });
    const after = (await list("?view=active&sort=value")).body.rows.find((r: { id: string }) => r.id === one.id);
    expect(after.change).toBeNull();
  });
});

describe("next billing", () => {
  const NOW = new Date("2026-12-02T12:00:00Z");
  const at = (s: string) => new Date(`${s}T09:00:00Z`);

  it("stays as it is while it is ahead", () => {
    expect(nextBillingAfter(at("2026-12-10"), "MONTH", 1, NOW)).toEqual(at("2026-12-10"));
  });

  it("moves a date gone by on by whole intervals to the first one after now, on the calendar", () => {
    expect(nextBillingAfter(at("2026-03-15"), "MONTH", 1, NOW)).toEqual(at("2026-12-15"));
    expect(nextBillingAfter(at("2026-11-02"), "MONTH", 1, NOW)).toEqual(at("2027-01-02"));
    expect(nextBillingAfter(at("2026-11-18"), "WEEK", 2, NOW)).toEqual(at("2026-12-16"));
    expect(nextBillingAfter(at("2025-06-01"), "YEAR", 1, NOW)).toEqual(at("2027-06-01"));
    expect(nextBillingAfter(at("2026-11-30"), "DAY", 1, NOW)).toEqual(at("2026-12-03"));
  });

  it("keeps the day of the month where a shorter month cannot", () => {
    expect(nextBillingAfter(at("2026-01-31"), "MONTH", 1, new Date("2026-02-10T00:00:00Z"))).toEqual(at("2026-02-28"));
    expect(nextBillingAfter(at("2026-01-31"), "MONTH", 1, new Date("2026-03-01T00:00:00Z"))).toEqual(at("2026-03-31"));
  });

  it("is not known for a date gone by without an interval, and not scheduled unless active", () => {
    expect(nextBillingAfter(at("2026-11-01"), null, null, NOW)).toBeNull();
    expect(nextBillingAfter(null, "MONTH", 1, NOW)).toBeNull();
    const contracts = [{ status: "active", billingInterval: "MONTH", billingIntervalCount: 1, nextBillingAt: at("2026-11-20") }];
    expect(subscriberNextBilling("paused", at("2026-12-20"), contracts, NOW)).toBeNull();
    expect(subscriberNextBilling("cancelled", at("2026-12-20"), contracts, NOW)).toBeNull();
    expect(subscriberNextBilling("active", null, contracts, NOW)).toEqual(at("2026-12-20"));
  });

  it("is the soonest of the active subscriptions", () => {
    const contracts = [
      { status: "active", billingInterval: "MONTH", billingIntervalCount: 1, nextBillingAt: at("2026-12-20") },
      { status: "active", billingInterval: "WEEK", billingIntervalCount: 1, nextBillingAt: at("2026-11-30") },
      { status: "cancelled", billingInterval: "WEEK", billingIntervalCount: 1, nextBillingAt: at("2026-12-03") },
    ];
    expect(subscriberNextBilling("active", null, contracts, NOW)).toEqual(at("2026-12-07"));
  });

  it("is never in the past on the list or the subscriber's page", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({
      where: { shop: SHOP, status: "active", email: { not: null }, contracts: { some: { status: "active", billingInterval: "MONTH" } } },
      include: { contracts: true },
    });
    const past = new Date(Date.now() - 40 * DAY_MS);
    await prisma.subscriber.update({ where: { id: s.id }, data: { nextBillingAt: past } });
    await prisma.contract.updateMany({ where: { subscriberId: s.id }, data: { nextBillingAt: past } });
    const row = (await list(`?q=${encodeURIComponent(s.email!)}`)).body.rows.find((r: { id: string }) => r.id === s.id);
    const page = (await detail(s.id)).body;
    for (const shown of [row.nextBillingAt, page.subscriber.nextBillingAt]) {
      expect(Date.parse(shown)).toBeGreaterThan(Date.now());
      expect(Date.parse(shown)).toBeLessThan(Date.now() + 32 * DAY_MS);
    }
    for (const c of page.contracts.filter((c: { status: string }) => c.status === "active")) expect(Date.parse(c.nextBillingAt)).toBeGreaterThan(Date.now());
  });
});

describe("the timeline, grouped", () => {
  const ev = (id: string, type: string, day: string) => ({ id, type, occurredAt: `${day}T10:00:00Z` });

  it("folds a run of payments that went through into one row, newest first", () => {
    const months = ["11", "10", "09", "08", "07", "06", "05", "04", "03", "02", "01"];
    const payments = months.map((m) => ev(`p${m}`, "billing.succeeded", `2026-${m}-05`));
    const items = groupTimeline([ev("c", "contract.paused", "2026-11-20"), ...payments, ev("s", "contract.created", "2026-01-01")]);
    expect(items.map((i) => i.kind)).toEqual(["event", "run", "event"]);
    const run = items[1];
    if (run.kind !== "run") throw new Error("expected a run");
    expect(run.events.map((e) => e.id)).toEqual(payments.map((p) => p.id));
    expect(runLabel(run, "UTC")).toBe("11 payments went through, Jan–Nov 2026");
  });

  it("keeps what matters on its own rows, splitting the run around it", () => {
    const items = groupTimeline([
      ev("p3", "billing.succeeded", "2026-11-05"),
      ev("p2", "billing.succeeded", "2026-10-05"),
      ev("f", "billing.failed", "2026-09-05"),
      ev("k", "cycle.skipped", "2026-08-05"),
      ev("k2", "cycle.skipped", "2026-07-05"),
      ev("p1", "billing.succeeded", "2026-06-05"),
    ]);
    expect(items.map((i) => (i.kind === "run" ? `run:${i.events.length}` : i.event.id))).toEqual(["run:2", "f", "k", "k2", "p1"]);
  });

  it("says the years when a run crosses one, in the shop's time zone", () => {
    const early = (id: string, day: string) => ({ id, type: "billing.succeeded", occurredAt: `${day}T05:00:00Z` });
    const run = { type: "billing.succeeded", events: [early("b", "2026-02-01"), early("a", "2025-12-01")] };
    expect(runLabel(run, "UTC")).toBe("2 payments went through, Dec 2025–Feb 2026");
    // 05:00 UTC on Feb 1 is still Jan 31 in Honolulu, and Dec 1 still Nov 30.
    expect(runLabel(run, "Pacific/Honolulu")).toBe("2 payments went through, Nov 2025–Jan 2026");
  });

  it("groups the subscriber page's own timeline", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, status: "active", events: { some: { type: "billing.succeeded" } } }, orderBy: { monthlyValue: "desc" } });
    const { body } = await detail(s.id);
    const items = groupTimeline(body.events as { id: string; type: string; occurredAt: string }[]);
    expect(items.length).toBeLessThan(body.events.length);
    expect(items.reduce((n, i) => n + (i.kind === "run" ? i.events.length : 1), 0)).toBe(body.events.length);
  });
});

describe("a page across parts", () => {
  it("takes a page's rows from the parts it spans, in order", () => {
    expect(slicesOf([3, 100, 20], 0, 50)).toEqual([
      { part: 0, offset: 0, limit: 3 },
      { part: 1, offset: 0, limit: 47 },
    ]);
    expect(slicesOf([3, 100, 20], 100, 50)).toEqual([
      { part: 1, offset: 97, limit: 3 },
      { part: 2, offset: 0, limit: 20 },
    ]);
    expect(slicesOf([0, 10], 0, 50)).toEqual([{ part: 1, offset: 0, limit: 10 }]);
    expect(slicesOf([3, 4], 50, 50)).toEqual([]);
  });
});

describe("reasons on the subscriber's page", () => {
  it("say each fact once, strongest first, even as stored before facts were merged", async () => {
    const risky = await prisma.healthScore.findFirstOrThrow({ where: { shop: SHOP, live: true, band: { in: ["at_risk", "critical"] } } });
    const stored = [
      { signal: "skipRate", points: -8, share: 0.25, text: "Skipped 1 of the last 2 deliveries" },
      { signal: "consecutiveSkips", points: -16, share: 0.5, text: "Skipped the last delivery" },
      { signal: "tenure", points: -8, share: 0.25, text: "In their first month" },
    ];
    await prisma.healthScore.update({ where: { subscriberId: risky.subscriberId }, data: { factors: JSON.stringify(stored) } });
    const { body } = await detail(risky.subscriberId);
    expect(body.health.factors.map((f: { text: string }) => f.text)).toEqual(["Skipped the last delivery", "In their first month"]);
    expect(body.health.factors[0].share).toBeCloseTo(0.75, 6);
    await prisma.healthScore.update({ where: { subscriberId: risky.subscriberId }, data: { factors: risky.factors } });
  });
});

describe("one subscriber's page", () => {
  it("explains the score factor by factor, with the shares adding up to the whole", async () => {
    const risky = await prisma.healthScore.findFirstOrThrow({ where: { shop: SHOP, band: "critical", subscriber: { status: "active" } } });
    const { status, body } = await detail(risky.subscriberId);
    expect(status).toBe(200);
    expect(body.health.score).toBe(risky.score);
    expect(body.health.band).toBe("critical");
    expect(body.health.factors.length).toBeGreaterThan(0);
    for (const f of body.health.factors) expect(f.text).toMatch(/\w/);
    const total = body.health.factors.reduce((sum: number, f: { share: number }) => sum + f.share, 0);
    expect(total).toBeCloseTo(1, 1);
    expect(body.health.suggestion.label).toMatch(/\w/);
  });

  it("has the weekly score history, the timeline newest first and the contracts", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, status: "active" } });
    const { body } = await detail(s.id);
    // A snapshot for every week of their history, dated by the events, each week once.
    const weeks = body.history.map((h: { week: string }) => h.week);
    expect(weeks.length).toBeGreaterThan(3);
    expect(new Set(weeks).size).toBe(weeks.length);
    expect(weeks).toEqual([...weeks].sort());
    const times = body.events.map((e: { occurredAt: string }) => Date.parse(e.occurredAt));
    expect(times.length).toBeGreaterThan(0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(body.eventCount).toBeGreaterThanOrEqual(body.events.length);
    expect(body.contracts.length).toBeGreaterThan(0);
    expect(body.contracts[0].lines.length).toBeGreaterThan(0);
    expect(body.subscriber.shopifyUrl).toBe(`https://admin.shopify.com/store/subscribers-page/customers/${s.customerId}`);
  });

  it("lists the plays they received, with a held-out firing showing nothing sent", async () => {
    const held = await prisma.firing.findFirst({ where: { shop: SHOP, holdout: true } });
    if (!held) throw new Error("the seeded shop has no held-out firing");
    const { body } = await detail(held.subscriberId);
    const firing = body.firings.find((f: { id: string }) => f.id === held.id);
    expect(firing.holdout).toBe(true);
    expect(firing.plays).toEqual([]);
    expect(firing.triggerName).toMatch(/\w/);
  });

  it("lists a treated firing with the plays it owes Klaviyo", async () => {
    const play = await prisma.playDelivery.findFirst({ where: { shop: SHOP, firing: { holdout: false } }, include: { firing: true } });
    if (!play) throw new Error("the seeded shop has no play");
    const { body } = await detail(play.firing.subscriberId);
    const firing = body.firings.find((f: { id: string }) => f.id === play.firingId);
    expect(firing.holdout).toBe(false);
    expect(firing.plays).toContainEqual(expect.objectContaining({ kind: play.kind, status: play.status }));
  });

  it("lists their tasks", async () => {
    const task = await prisma.task.findFirst({ where: { shop: SHOP } });
    if (!task) throw new Error("the seeded shop has no task");
    const { body } = await detail(task.subscriberId);
    expect(body.tasks.map((t: { id: string }) => t.id)).toContain(task.id);
  });

  it("warns when the card expires before the next billing", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, status: "active", nextBillingAt: { not: null } } });
    const next = s.nextBillingAt!;
    // A card good through the month before the next billing.
    const month = next.getUTCMonth() === 0 ? 12 : next.getUTCMonth();
    const year = next.getUTCMonth() === 0 ? next.getUTCFullYear() - 1 : next.getUTCFullYear();
    await prisma.subscriber.update({ where: { id: s.id }, data: { cardExpiryMonth: month, cardExpiryYear: year } });
    expect((await detail(s.id)).body.subscriber.card).toMatchObject({ month, year, expiresBeforeNextBilling: true });
    await prisma.subscriber.update({ where: { id: s.id }, data: { cardExpiryMonth: 12, cardExpiryYear: next.getUTCFullYear() + 3 } });
    expect((await detail(s.id)).body.subscriber.card).toMatchObject({ expiresBeforeNextBilling: false, expired: false });
  });

  it("is not found for another shop's subscriber, or an id that does not exist", async () => {
    const theirs = await prisma.subscriber.findFirstOrThrow({ where: { shop: OTHER } });
    expect((await detail(theirs.id, OTHER)).status).toBe(200);
    expect((await detail(theirs.id)).status).toBe(404);
    expect((await detail("no-such-subscriber")).status).toBe(404);
  });

  it("refuses a request without a session token", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP } });
    const { status } = await callRoute(detailLoader, adminRequest(SHOP, `/app/subscribers/${s.id}`, { unauthenticated: true }), { id: s.id });
    expect([302, 401]).toContain(status);
  });
});
