// The subscribers list and one subscriber's page: loaders on a simulated store's real data.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader as listLoader } from "~/routes/app.subscribers._index";
import { loader as detailLoader } from "~/routes/app.subscribers.$id";
import { PAGE_SIZE } from "~/pages/subscribers/subscribers-options";
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
    const one = await list();
    const two = await list("?page=2");
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
    const first = await list();
    const seen: string[] = [];
    for (let page = 1; page <= first.body.pageCount; page++) seen.push(...ids((await list(`?page=${page}`)).body.rows));
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
  });

  it("filters by health band, and the bands add up to everyone scored", async () => {
    const scored = await prisma.healthScore.count({ where: { shop: SHOP } });
    let sum = 0;
    for (const band of ["healthy", "watch", "at_risk", "critical"]) {
      const { body } = await list(`?band=${band}`);
      for (const row of body.rows) expect(row.band).toBe(band);
      sum += body.total;
    }
    expect(sum).toBe(scored);
    const critical = await list("?band=critical");
    expect(critical.body.total).toBeGreaterThan(0);
    expect(critical.body.total).toBeLessThan(300);
  });

  it("filters by segment: tenure and value together or apart", async () => {
    const both = await list("?tenure=established&value=high");
    expect(both.body.total).toBeGreaterThan(0);
    for (const row of both.body.rows) expect(row.segmentKey).toBe("established:high");
    const low = await list("?value=low");
    for (const row of low.body.rows) expect(row.segmentKey).toMatch(/:low$/);
    expect(low.body.total).toBeLessThan(300);
  });

  it("filters by status", async () => {
    const paused = await prisma.subscriber.count({ where: { shop: SHOP, status: "paused" } });
    const { body } = await list("?status=paused");
    expect(body.total).toBe(paused);
    for (const row of body.rows) expect(row.status).toBe("paused");
  });

  it("filters to the subscribers a trigger picked", async () => {
    const [busiest] = await prisma.firing.groupBy({ by: ["triggerKey"], where: { shop: SHOP }, _count: { _all: true }, orderBy: { _count: { triggerKey: "desc" } } });
    if (!busiest) throw new Error("the seeded shop has no firings to filter by");
    const picked = new Set((await prisma.firing.findMany({ where: { shop: SHOP, triggerKey: busiest.triggerKey }, select: { subscriberId: true } })).map((f) => f.subscriberId));
    const { body } = await list(`?trigger=${encodeURIComponent(busiest.triggerKey)}`);
    expect(body.triggers.map((t: { key: string }) => t.key)).toContain(busiest.triggerKey);
    expect(body.total).toBe(picked.size);
    for (const row of body.rows) expect(picked.has(row.id)).toBe(true);
  });

  it("finds a subscriber by email, whatever the case, and by name", async () => {
    const known = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, email: { not: null }, firstName: { not: null } }, orderBy: { id: "desc" } });
    const byEmail = await list(`?q=${encodeURIComponent(known.email!.toUpperCase())}`);
    expect(ids(byEmail.body.rows)).toContain(known.id);
    expect(byEmail.body.total).toBeLessThan(5);
    const byName = await list(`?q=${encodeURIComponent(`${known.firstName} ${known.lastName ?? ""}`.trim())}`);
    expect(ids(byName.body.rows)).toContain(known.id);
  });

  it("says there are no results for a search that matches no one, and for another shop's email", async () => {
    const none = await list("?q=nobody-by-this-name-%25");
    expect(none.status).toBe(200);
    expect(none.body.total).toBe(0);
    expect(none.body.rows).toEqual([]);
    const theirs = await prisma.subscriber.findFirstOrThrow({ where: { shop: OTHER, email: { not: null } } });
    expect((await list(`?q=${encodeURIComponent(theirs.email!)}`)).body.total).toBe(0);
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
    const odd = await list("?band=purple&sort=sideways&direction=up&page=abc&status=&tenure=ancient");
    expect(odd.status).toBe(200);
    expect(odd.body.query).toMatchObject({ sort: "score", direction: "asc", page: 1 });
    expect(odd.body.query.band).toBeUndefined();
    expect(odd.body.total).toBe(300);
    expect(ids(odd.body.rows)).toEqual(ids(plain.body.rows));
  });

  it("shows the last page for a page past the end", async () => {
    const { status, body } = await list("?page=999");
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
