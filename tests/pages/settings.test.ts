// The settings page's loader and actions: Klaviyo against a local Klaviyo-like server, score
// bands and weights with their rescore, segments and the weekly digest, on a simulated store.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { config } from "~/config.server";
import { defaultHealthConfig, resolveBands } from "~/health/config";
import { scoreDirtySubscribers } from "~/rescore/index.server";
import { LIFELINE_METRIC_NAMES } from "~/playbook/metrics";
import * as route from "~/routes/app.settings";
import * as weights from "~/routes/app.settings.weights";
import { runScoreCheck } from "~/health/score-check.server";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";

const SHOP = "settings-page.myshopify.com";

// The app reads KLAVIYO_API_BASE_URL once, so the local Klaviyo starts before any app module
// loads. Only KEY is a real key there; any other is refused like a revoked one.
const { sim, KEY } = await vi.hoisted(async () => {
  const KEY = "pk_settings_0123456789abcdefTOPSECRET";
  const { startKlaviyoServer } = await import("../../simulator/klaviyo-server");
  const sim = await startKlaviyoServer({ keys: { [KEY]: ["events:write", "profiles:write", "accounts:read"] } });
  process.env.KLAVIYO_API_BASE_URL = sim.baseUrl;
  return { sim, KEY };
});

beforeAll(async () => {
  if (config().KLAVIYO_API_BASE_URL !== sim.baseUrl) throw new Error("the app read its configuration before the Klaviyo server started");
  await seededShop(SHOP, { subscribers: 300 });
}, 120_000);
afterAll(() => sim.stop());

const page = async () => (await callRoute(route.loader, adminRequest(SHOP, "/app/settings"))).body;
const post = (form: Record<string, string>) => callRoute(route.action, adminRequest(SHOP, "/app/settings", { form }));
const storedConfig = async () => (await prisma.shopSettings.findUnique({ where: { shop: SHOP } }))?.healthConfig ?? null;
const settingsRuns = () => prisma.rescoreRun.count({ where: { shop: SHOP, reason: "settings changed" } });

describe("score bands and weights", () => {
  it("refuses bands out of order or out of 0-100 with an error on each field, and saves nothing", async () => {
    const { status, body } = await post({
      intent: "scoring",
      "all|bands.healthy": "50",
      "all|bands.watch": "60",
      "all|bands.atRisk": "35",
      "*:high|bands.atRisk": "120",
    });
    expect(status).toBe(400);
    expect(body.fieldErrors).toEqual({ "*:high|bands.atRisk": "Enter a number from 0 to 100." });

    const ordered = await post({ intent: "scoring", "all|bands.healthy": "50", "all|bands.watch": "60", "all|bands.atRisk": "35" });
    expect(ordered.status).toBe(400);
    expect(ordered.body.fieldErrors["all|bands.healthy"]).toMatch(/healthy above watch above at risk/);
    // Groups without bands of their own share the store-wide error rather than repeat it.
    expect(Object.keys(ordered.body.fieldErrors).filter((k) => !k.startsWith("*:high|"))).toEqual(["all|bands.healthy"]);

    expect(await storedConfig()).toBeNull();
    expect(await settingsRuns()).toBe(0);
    expect((await page()).score.config.bands).toEqual(defaultHealthConfig.bands);
  });

  it("saves good bands and a group's weight, then rescores every subscriber with them", async () => {
    // Each threshold a little above the default, so scores banded the old way would show.
    const d = defaultHealthConfig.bands;
    const bands = { healthy: d.healthy + 3, watch: d.watch + 2, atRisk: d.atRisk + 2 };
    const { status, body } = await post({
      intent: "scoring",
      "all|bands.healthy": String(bands.healthy),
      "all|bands.watch": String(bands.watch),
      "all|bands.atRisk": String(bands.atRisk),
      "new:*|weights.tenure": "20",
      "*:high|bands.healthy": "",
    });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);

    const saved = (await page()).score;
    expect(saved.config.bands).toEqual(bands);
    expect(saved.config.overrides["new:*"].weights).toEqual({ ...defaultHealthConfig.overrides["new:*"].weights, tenure: 20 });
    const { healthy: _emptied, ...highBands } = defaultHealthConfig.overrides["*:high"].bands ?? {};
    expect(saved.config.overrides["*:high"].bands ?? {}).toEqual(highBands); // an emptied field uses the store-wide number
    expect(saved.rescore).toMatchObject({ reason: "settings changed", status: "running", done: 0 });
    expect(saved.rescore.total).toBeGreaterThan(0);

    // The worker's scoring pass works the run off; the page then reports it finished.
    while ((await scoreDirtySubscribers(new Date(), 2000)) > 0);
    const after = (await page()).score.rescore;
    expect(after).toMatchObject({ status: "done", done: saved.rescore.total, total: saved.rescore.total });
    const scores = await prisma.healthScore.findMany({ where: { shop: SHOP, band: "healthy" }, select: { score: true, segmentKey: true } });
    expect(scores.length).toBeGreaterThan(0);
    for (const s of scores) expect(s.score).toBeGreaterThanOrEqual(resolveBands(saved.config, s.segmentKey).healthy);
  });

  it("suggests weights per group of subscribers, from the store's own history", async () => {
    const { scopes } = (await page()).score;
    await runScoreCheck(SHOP, new Date()); // the worker's job after the rescore run
    const { body } = await callRoute(weights.loader, adminRequest(SHOP, "/app/settings/weights"));
    expect(body.status).toBe("ready");
    expect(body.suggestions.map((s: any) => s.scope)).toEqual(scopes);
    const all = body.suggestions[0];
    expect(all.status).toBe("ok");
    expect(all.churned).toBeGreaterThan(0);
    expect(Object.values(all.suggested).every((w) => typeof w === "number" && w >= 0)).toBe(true);
  });
});

describe("the last rescore", () => {
  it("says when it finished and how many current subscribers it scored, not the 0 marked when it began", async () => {
    // A store's first daily rescore starts at install, before any subscriber has arrived: it marks none.
    const began = new Date();
    await prisma.rescoreRun.create({ data: { shop: SHOP, reason: "daily before the import", status: "running", total: 0, createdAt: began } });
    // Then the subscribers come in and are scored.
    await prisma.subscriber.updateMany({ where: { shop: SHOP }, data: { scoreDirtyAt: new Date() } });
    while ((await scoreDirtySubscribers(new Date(), 2000)) > 0);

    const { rescore } = (await page()).score;
    const live = await prisma.healthScore.count({ where: { shop: SHOP, live: true } });
    expect(live).toBeGreaterThan(0);
    expect(rescore).toMatchObject({ reason: "daily before the import", status: "done", total: 0, scored: live });
    expect(new Date(rescore.finishedAt).getTime()).toBeGreaterThanOrEqual(began.getTime());
  });
});

describe("segments", () => {
  it("saves the new-subscriber and high-value cut-offs, and refuses a fractional order count", async () => {
    const bad = await post({ intent: "segments", "segments.newMinCycles": "1.5" });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors).toEqual({ "segments.newMinCycles": "Enter a whole number." });

    const good = await post({ intent: "segments", "segments.newMaxTenureDays": "60", "segments.newMinCycles": "2", "segments.highValueMonthly": "100" });
    expect(good.status).toBe(200);
    expect((await page()).score.config.segments).toEqual({ newMaxTenureDays: 60, newMinCycles: 2, highValueMonthly: 100 });
    const { bands } = defaultHealthConfig;
    expect((await page()).score.config.bands).toEqual({ healthy: bands.healthy + 3, watch: bands.watch + 2, atRisk: bands.atRisk + 2 }); // the earlier save is kept
  });
});

describe("Klaviyo connection", () => {
  it("refuses a key that is not a private key, without saving or repeating it", async () => {
    const { status, body } = await post({ intent: "klaviyo-save", apiKey: "sk_not_private_TOPSECRET" });
    expect(status).toBe(400);
    expect(body.fieldErrors.apiKey).toMatch(/start with pk_/);
    expect(JSON.stringify(body)).not.toContain("TOPSECRET");
    expect(await prisma.klaviyoConnection.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("tells the merchant when Klaviyo rejects the key, and stores nothing", async () => {
    const { status, body } = await post({ intent: "klaviyo-save", apiKey: "pk_revoked_key_TOPSECRET" });
    expect(status).toBe(400);
    expect(body.error).toBe("Klaviyo rejected this API key. Check it was copied in full and not revoked.");
    expect(JSON.stringify(body)).not.toContain("TOPSECRET");
    expect((await page()).klaviyo.connected).toBe(false);
  });

  it("connects with a good key; no response of the page carries the key", async () => {
    const responses: unknown[] = [];
    const saved = await post({ intent: "klaviyo-save", apiKey: `  ${KEY} ` });
    expect(saved.status).toBe(200);
    expect(saved.body.message).toBe("Connected to Klaviyo as Simulated Store.");
    responses.push(saved.body);

    const loaded = await page();
    expect(loaded.klaviyo).toMatchObject({ connected: true, accountName: "Simulated Store" });
    responses.push(loaded);

    const tested = await post({ intent: "klaviyo-test", email: "owner@example.com" });
    expect(tested.status).toBe(200);
    expect(sim.events.map((e) => e.metric).sort()).toEqual([...LIFELINE_METRIC_NAMES].sort());
    responses.push(tested.body);
    responses.push((await post({ intent: "klaviyo-test", email: "not an email" })).body);
    responses.push((await post({ intent: "scoring", "all|bands.healthy": "80" })).body);

    const text = JSON.stringify(responses);
    expect(text).toContain("Simulated Store"); // the check sees the responses...
    expect(text).not.toContain(KEY); // ...and the key is in none of them
    expect(text).not.toContain("TOPSECRET");
    expect(text).not.toContain(KEY.slice(-4));
  });

  it("disconnects", async () => {
    expect((await post({ intent: "klaviyo-disconnect" })).status).toBe(200);
    expect((await page()).klaviyo).toEqual({ connected: false, accountName: null, validatedAt: null });
    expect((await post({ intent: "klaviyo-test", email: "owner@example.com" })).body.error).toBe("Connect Klaviyo first: save your private API key.");
  });
});

describe("weekly digest", () => {
  it("is on by default, to the store's email unless another address is given, and keeps the day and address", async () => {
    expect((await page()).digest).toEqual({ enabled: true, weekday: 1, hour: 8, email: null, storeEmail: null });
    await prisma.shop.update({ where: { shop: SHOP }, data: { email: "owner@settings.example" } });
    expect((await post({ intent: "digest", enabled: "on", weekday: "3", email: "" })).status).toBe(200);
    expect((await page()).digest).toEqual({ enabled: true, weekday: 3, hour: 8, email: null, storeEmail: "owner@settings.example" });

    expect((await post({ intent: "digest", enabled: "on", weekday: "3", email: "team@example.com" })).status).toBe(200);
    expect((await page()).digest).toEqual({ enabled: true, weekday: 3, hour: 8, email: "team@example.com", storeEmail: "owner@settings.example" });
    expect((await post({ intent: "digest", enabled: "on", weekday: "3", email: "not an address" })).body.fieldErrors).toEqual({ email: "Enter a valid email address." });
  });

  it("keeps the hour it goes out at, and explains an hour that is not one", async () => {
    const bad = await post({ intent: "digest", enabled: "on", weekday: "1", hour: "24", email: "team@example.com" });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors).toEqual({ hour: "Choose an hour." });
    expect((await post({ intent: "digest", enabled: "on", weekday: "1", hour: "17", email: "team@example.com" })).status).toBe(200);
    expect((await page()).digest).toMatchObject({ weekday: 1, hour: 17 });
  });
});
