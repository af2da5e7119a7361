// Monday morning in a real browser: home's "This week: contact these N people" is the at-risk
// list's count, the CSV's rows and the digest's count; those who became at risk this week and
// recovered are in the list's Recovered tab.
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_APP_TIMEOUT, startBrowserApp, type BrowserApp } from "./harness";

let app: BrowserApp;
let recoveredName = "";

beforeAll(async () => {
  app = await startBrowserApp({ subscribers: 200 });
  // One healthy subscriber crossed into at risk this week and is healthy again, as the rescore records it.
  const db = new Database(app.dbFile);
  try {
    const [s] = db
      .prepare(
        `SELECT s.id, s.firstName, s.lastName, s.displayName FROM Subscriber s JOIN HealthScore h ON h.subscriberId = s.id
         WHERE s.shop = ? AND h.live = 1 AND h.band = 'healthy' ORDER BY s.monthlyValue DESC LIMIT 1`,
      )
      .all(app.shop) as { id: string; firstName: string | null; lastName: string | null; displayName: string | null }[];
    recoveredName = s.displayName || [s.firstName, s.lastName].filter(Boolean).join(" ");
    const now = Date.now();
    const insert = db.prepare(
      `INSERT INTO HealthHistory (id, shop, subscriberId, kind, periodKey, at, score, band, fromBand, live) VALUES (?, ?, ?, 'band_change', ?, ?, ?, ?, ?, 1)`,
    );
    for (const [i, [ago, from, to, score]] of ([[60, "healthy", "at_risk", 52], [30, "at_risk", "healthy", 81]] as const).entries()) {
      const at = new Date(now - ago * 60_000);
      insert.run(`week-glance-${i}`, app.shop, s.id, at.toISOString(), at.toISOString().replace("Z", "+00:00"), score, to, from);
    }
  } finally {
    db.close();
  }
}, BROWSER_APP_TIMEOUT);

afterAll(async () => {
  await app?.stop();
});

/** This week's Monday, 00:00 UTC (the seeded shop's time zone), as band changes' instants are written. */
function weekStart(): string {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString();
}

/** The digest as the worker would queue it now, built by the app's own code on the app's database. */
async function digestCount(): Promise<number> {
  process.env.DATABASE_URL = `file:${app.dbFile}`;
  const { default: prisma } = await import("~/db.server");
  await prisma.shopSettings.upsert({
    where: { shop: app.shop },
    create: { shop: app.shop, digestEmail: "owner@lifeline-demo.example", digestWeekday: 1, digestHour: 0 },
    update: { digestEmail: "owner@lifeline-demo.example", digestWeekday: 1, digestHour: 0 },
  });
  const { queueDueDigests } = await import("~/plays/digest.server");
  await queueDueDigests(new Date());
  const job = await prisma.job.findFirstOrThrow({ where: { shop: app.shop, queue: "digest" } });
  return (JSON.parse(job.payload) as { properties: { subscriber_count: number } }).properties.subscriber_count;
}

describe("the week at a glance", () => {
  it("home's count of people to contact is the list's count, the CSV's rows and the digest's count", async () => {
    const home = await app.open("/app");
    const card = home.getByRole("heading", { name: /^This week: contact / });
    await card.waitFor();
    const onHome = Number((await card.innerText()).match(/these ([\d,]+) people/)![1].replace(/,/g, ""));
    expect(onHome).toBeGreaterThan(5);
    // The top five, each with one reason, and a way to the whole list.
    const people = home.locator(".Polaris-ResourceItem__ListItem");
    expect(await people.count()).toBe(5);
    await home.getByRole("link", { name: `See all ${onHome} on the list` }).waitFor();
    await app.screenshot(home, "home-this-week");

    const list = await app.open("/app/at-risk");
    const tab = list.getByRole("tab", { name: /^To review \(/ });
    const onList = Number((await tab.innerText()).match(/\(([\d,]+)\)/)![1].replace(/,/g, ""));
    expect(onList).toBe(onHome);

    const [download] = await Promise.all([list.waitForEvent("download"), list.getByRole("button", { name: "Export this list as CSV" }).click()]);
    const rows = readFileSync((await download.path())!, "utf8").trim().split(/\r?\n/).slice(1);
    expect(rows).toHaveLength(onHome);

    expect(await digestCount()).toBe(onHome);
    expect(app.problems()).toEqual([]);
    await home.close();
    await list.close();
  });

  it("lists who became at risk this week and recovered in the Recovered tab", async () => {
    const page = await app.open("/app/at-risk");
    const tab = page.getByRole("tab", { name: /^Recovered \(\d+\)$/ });
    const [{ recovered }] = app.query<{ recovered: number }>(
      `SELECT COUNT(DISTINCT c.subscriberId) AS recovered FROM HealthHistory c JOIN HealthScore h ON h.subscriberId = c.subscriberId
       WHERE c.shop = ? AND c.kind = 'band_change' AND c.live = 1 AND c.band IN ('at_risk', 'critical') AND c.periodKey >= ?
         AND h.live = 1 AND h.band IN ('healthy', 'watch')`,
      app.shop,
      weekStart(),
    );
    expect(await tab.innerText()).toBe(`Recovered (${recovered})`);
    await tab.click();
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: recoveredName }) });
    await row.getByText("New this week (was healthy)").waitFor();
    await app.screenshot(page, "at-risk-recovered");
    expect(app.problems()).toEqual([]);
    await page.close();
  });
});
