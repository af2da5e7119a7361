// "At risk this week" is one definition: home, the list (each tab), the CSV, the digest,
// the demo summary and the customer page block count the same people and the same money.
// A hand-made store with several currencies, crossings, a recovery, cancellations, a snooze
// and a dismissal, checked to the subscriber; then a simulated store, checked for agreement.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader as homeLoader } from "~/routes/app._index";
import { loader as listLoader } from "~/routes/app.at-risk";
import { loader as csvLoader } from "~/routes/app.at-risk[.]csv";
import { loader as blockLoader } from "~/routes/api.customer-health.$customerId";
import { queueDueDigests, type DigestJobPayload } from "~/plays/digest.server";
import { currentWeek, shiftWeek, weekWindow } from "~/health/weeks.server";
import { readSummary } from "../../scripts/demo/summary";
import { adminRequest, callRoute } from "../support/admin";
import { installShop } from "../support/shop";
import { seededShop } from "../support/seeded-shop";

const SHOP = "agreement.myshopify.com";
const SIMULATED = "agreement-simulated.myshopify.com";
const TZ = "America/New_York";
const VIEWS = ["review", "snoozed", "dismissed", "recovered"] as const;
const DAY = 86_400_000;

type Band = "healthy" | "watch" | "at_risk" | "critical";
interface Person {
  key: string;
  band: Band;
  live: boolean;
  monthlyValue: number;
  currency: string | null;
  /** Band changes: [ms after the week's start (negative: last week), from, to, live at the change]. */
  moves?: [number, Band, Band, boolean][];
  task?: "snoozed" | "dismissed" | "open";
}

// What each one should be: the tab they are in, or what the customer block says.
const PEOPLE: (Person & { expect: (typeof VIEWS)[number] | "cancelled" | null })[] = [
  { key: "ada", band: "at_risk", live: true, monthlyValue: 100, currency: "USD", expect: "review" },
  { key: "bo", band: "critical", live: true, monthlyValue: 50, currency: "AUD", moves: [[3_600_000, "healthy", "critical", true]], expect: "review" },
  { key: "cy", band: "critical", live: true, monthlyValue: 45.5, currency: "EUR", task: "open", expect: "review" },
  { key: "dee", band: "at_risk", live: true, monthlyValue: 12.25, currency: null, expect: "review" }, // no currency of its own: the shop's
  // Crossed in this week, healthy again since.
  { key: "eve", band: "healthy", live: true, monthlyValue: 30, currency: "EUR", moves: [[7_200_000, "watch", "at_risk", true], [9_000_000, "at_risk", "healthy", true]], expect: "recovered" },
  // Cancelled: counted as cancelled, never as critical, even having crossed this week.
  { key: "fay", band: "critical", live: false, monthlyValue: 999, currency: "USD", moves: [[3_000_000, "healthy", "critical", false]], expect: "cancelled" },
  { key: "gus", band: "critical", live: false, monthlyValue: 70, currency: "USD", moves: [[1_000_000, "watch", "at_risk", true], [5_000_000, "at_risk", "critical", false]], expect: "cancelled" },
  { key: "hal", band: "at_risk", live: true, monthlyValue: 80, currency: "USD", task: "dismissed", expect: "dismissed" },
  { key: "ivy", band: "critical", live: true, monthlyValue: 60, currency: "CAD", task: "snoozed", expect: "snoozed" },
  // Crossed in last week and recovered last week: not this week's business.
  { key: "jon", band: "watch", live: true, monthlyValue: 20, currency: "USD", moves: [[-3 * DAY, "watch", "at_risk", true], [-2 * DAY, "at_risk", "watch", true]], expect: null },
  { key: "kim", band: "healthy", live: true, monthlyValue: 40, currency: "USD", expect: null },
];

const idOf = (key: string) => `agree-${key}`;
const customerOf = (i: number) => String(880000 + i);

async function seedHandMade(now: Date) {
  const week = currentWeek(now, TZ);
  await installShop(SHOP);
  await prisma.shop.create({ data: { shop: SHOP, currency: "USD", timezone: TZ, email: "owner@agreement.example", backfillStatus: "done" } });
  await prisma.shopSettings.create({ data: { shop: SHOP, digestEnabled: true, digestWeekday: 1, digestHour: 0 } });
  const lastWeekKey = shiftWeek(week.key, -1);
  for (const [i, p] of PEOPLE.entries()) {
    const id = idOf(p.key);
    await prisma.subscriber.create({
      data: {
        id,
        shop: SHOP,
        customerId: customerOf(i),
        firstName: p.key,
        lastName: "Tester",
        status: p.live ? "active" : "cancelled",
        monthlyValue: p.monthlyValue,
        currency: p.currency,
      },
    });
    const factors = JSON.stringify([{ signal: "consecutiveSkips", name: "consecutiveSkips", points: -20, text: `${p.key} skipped twice` }]);
    const score = { healthy: 85, watch: 65, at_risk: 45, critical: 20 }[p.band];
    await prisma.healthScore.create({
      data: { subscriberId: id, shop: SHOP, score, band: p.band, segmentKey: "new:low", factors, signals: "{}", computedAt: now, bandSince: week.start, live: p.live },
    });
    // The weeks' snapshots, as the rescore writes them: a cancelled subscriber's is not live.
    for (const key of [lastWeekKey, week.key]) {
      await prisma.healthHistory.create({
        data: { shop: SHOP, subscriberId: id, kind: "weekly", periodKey: key, at: weekWindow(key, TZ).start, score, band: p.band, live: p.live },
      });
    }
    for (const [offset, from, to, live] of p.moves ?? []) {
      const at = new Date(week.start.getTime() + offset);
      await prisma.healthHistory.create({
        data: { shop: SHOP, subscriberId: id, kind: "band_change", periodKey: at.toISOString(), at, score, band: to, fromBand: from, live },
      });
    }
    const task = { shop: SHOP, subscriberId: id, title: "Call them", suggestedAction: "call", reasons: "[]", owner: "merchant", priority: "high", dueAt: new Date(now.getTime() + DAY) };
    if (p.task === "open") await prisma.task.create({ data: task });
    if (p.task === "snoozed") await prisma.task.create({ data: { ...task, status: "snoozed", snoozedUntil: new Date(now.getTime() + 3 * DAY) } });
    if (p.task === "dismissed") {
      const closedAt = new Date(Math.max(week.start.getTime() + 1000, now.getTime() - 1000));
      await prisma.task.create({ data: { ...task, status: "done", closedAt, closeReason: "false_positive" } });
    }
  }
}

async function list(shop: string, view: string) {
  return (await callRoute(listLoader, adminRequest(shop, `/app/at-risk${view === "review" ? "" : `?view=${view}`}`))).body;
}

async function csvRows(shop: string, view: string): Promise<string[]> {
  const { response } = await callRoute(csvLoader, adminRequest(shop, `/app/at-risk.csv${view === "review" ? "" : `?view=${view}`}`));
  return (await response!.text()).trim().split(/\r?\n/).slice(1).filter(Boolean);
}

async function digestOf(shop: string, now: Date): Promise<DigestJobPayload> {
  await queueDueDigests(now);
  const job = await prisma.job.findFirstOrThrow({ where: { shop, queue: "digest" }, orderBy: { id: "desc" } });
  return JSON.parse(job.payload) as DigestJobPayload;
}

function addUp(...totals: Record<string, number>[]): Record<string, number> {
  const cents: Record<string, number> = {};
  for (const t of totals) for (const [c, v] of Object.entries(t)) cents[c] = (cents[c] ?? 0) + Math.round(v * 100);
  return Object.fromEntries(Object.entries(cents).map(([c, v]) => [c, v / 100]));
}

/** Every place that counts this week's list, read for one shop. */
async function everywhere(shop: string, now: Date) {
  const home = (await callRoute(homeLoader, adminRequest(shop, "/app"))).body;
  const tabs = Object.fromEntries(await Promise.all(VIEWS.map(async (v) => [v, await list(shop, v)] as const)));
  const csv = Object.fromEntries(await Promise.all(VIEWS.map(async (v) => [v, await csvRows(shop, v)] as const)));
  const digest = await digestOf(shop, now);
  const summary = await readSummary(process.env.DATABASE_URL!.replace(/^file:/, ""), { shop, now, acknowledged: 0, klaviyoEvents: {}, simulatorCancelled: 0 });
  return { home, tabs, csv, digest, summary };
}

function expectAgreement(all: Awaited<ReturnType<typeof everywhere>>) {
  const { home, tabs, csv, digest, summary } = all;
  const counts = tabs.review.counts;
  // Every tab says the same counts, and each tab's rows are its count.
  for (const v of VIEWS) {
    expect(tabs[v].counts).toEqual(counts);
    expect(tabs[v].total).toBe(counts[v]);
    expect(csv[v]).toHaveLength(counts[v]);
  }
  // Home's "contact these N people" is the list to review; its top five the list's first five.
  expect(home.thisWeek.toReview).toBe(counts.review);
  expect(home.thisWeek.top.map((r: any) => r.subscriberId)).toEqual(tabs.review.rows.slice(0, 5).map((r: any) => r.subscriberId));
  // Money at risk: everyone on the list but those recovered, per currency.
  const atRisk = counts.review + counts.snoozed + counts.dismissed;
  expect(home.revenueAtRisk.subscribers).toBe(atRisk);
  expect(home.revenueAtRisk.monthly).toEqual(addUp(tabs.review.totals, tabs.snoozed.totals, tabs.dismissed.totals));
  // Home's bands count only those still subscribed: at risk and critical are the list's people at risk now.
  expect(home.bands.at_risk + home.bands.critical).toBe(atRisk);
  // The digest carries the list to review.
  expect(digest.properties.subscriber_count).toBe(counts.review);
  expect(digest.properties.monthly_value_by_currency).toEqual(tabs.review.totals);
  expect(digest.properties.subscribers.map((s) => s.name)).toEqual(tabs.review.rows.slice(0, 10).map((r: any) => r.name));
  // The demo summary counts with the app's own definition.
  expect(summary.week).toMatchObject({ toReview: counts.review, atRisk, recovered: counts.recovered, monthlyAtRisk: home.revenueAtRisk.monthly });
  expect(summary.bands.critical ?? 0).toBe(home.bands.critical);
}

let now: Date;

beforeAll(async () => {
  now = new Date();
  await seedHandMade(now);
  await seededShop(SIMULATED, { subscribers: 400, seed: 7, now });
  await prisma.shopSettings.create({ data: { shop: SIMULATED, digestEmail: "owner@simulated.example", digestWeekday: 1, digestHour: 0 } });
}, 90_000);

describe("a store with several currencies, crossings, a recovery, cancellations, a snooze and a dismissal", () => {
  it("puts each subscriber in the tab the definition says, on the list and in the customer block", async () => {
    for (const v of VIEWS) {
      const ids = (await list(SHOP, v)).rows.map((r: any) => r.subscriberId).sort();
      expect(ids, v).toEqual(PEOPLE.filter((p) => p.expect === v).map((p) => idOf(p.key)).sort());
    }
    for (const [i, p] of PEOPLE.entries()) {
      const request = adminRequest(SHOP, `/api/customer-health/${customerOf(i)}`);
      const { response } = await callRoute(blockLoader, request, { customerId: customerOf(i) });
      expect((JSON.parse(await response!.text()) as { thisWeek: string | null }).thisWeek, p.key).toBe(p.expect);
    }
  });

  it("never adds one currency to another: the shop's first, each other one on its own", async () => {
    const review = await list(SHOP, "review");
    expect(review.totals).toEqual({ USD: 112.25, AUD: 50, EUR: 45.5 });
    expect(review.rows.find((r: any) => r.subscriberId === idOf("dee")).currency).toBe("USD");
    const home = (await callRoute(homeLoader, adminRequest(SHOP, "/app"))).body;
    expect(home.revenueAtRisk.monthly).toEqual({ USD: 192.25, AUD: 50, EUR: 45.5, CAD: 60 });
  });

  it("counts cancelled subscribers as cancelled: in no band now and in no band of the chart", async () => {
    const home = (await callRoute(homeLoader, adminRequest(SHOP, "/app"))).body;
    expect(home.bands).toEqual({ healthy: 2, watch: 1, at_risk: 3, critical: 3 });
    expect(home.cancelled).toBe(2);
    const thisWeek = home.trend.at(-1);
    expect([thisWeek.healthy, thisWeek.watch, thisWeek.at_risk, thisWeek.critical]).toEqual([2, 1, 3, 3]);
    expect(home.trend.at(-2).critical).toBe(3);
  });

  it("counts the week's changes by the time of each change, among those still subscribed", async () => {
    const home = (await callRoute(homeLoader, adminRequest(SHOP, "/app"))).body;
    // bo and eve crossed in this week; gus crossed too but has cancelled since; fay's crossing was her cancellation.
    expect(home.changes.thisWeek).toMatchObject({ enteredAtRisk: 2, worsened: 2, improved: 1 });
    expect(home.changes.lastWeek).toMatchObject({ enteredAtRisk: 1, worsened: 1, improved: 1 });
  });

  it("gives the same count and money on home, every tab, the CSV, the digest and the demo summary", async () => {
    const all = await everywhere(SHOP, now);
    expect(all.tabs.review.counts).toEqual({ review: 4, snoozed: 1, dismissed: 1, recovered: 1 });
    expectAgreement(all);
  });
});

describe("a simulated store", () => {
  it("gives the same count and money on home, every tab, the CSV, the digest and the demo summary", async () => {
    const all = await everywhere(SIMULATED, now);
    expect(all.tabs.review.counts.review).toBeGreaterThan(0);
    expectAgreement(all);
  });
});
