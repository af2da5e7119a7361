// The playbook list and the trigger editor: loaders and actions on a simulated store's real data.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader as listLoader, action as listAction } from "~/routes/app.playbook._index";
import { loader as editorLoader, action as editorAction } from "~/routes/app.playbook.$key";
import { loader as reportsLoader } from "~/routes/app.reports";
import { loadTriggers } from "~/models/triggers.server";
import { DEFAULT_PLAYBOOK } from "~/playbook/defaults";
import { NEW_TRIGGER_VALUES, type EditorValues } from "~/playbook/editor-form";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";

const SHOP = "playbook-page.myshopify.com";
const OTHER = "another-store.myshopify.com";
const DAY = 86_400_000;
let now: Date;

const list = (shop = SHOP) => callRoute(listLoader, adminRequest(shop, "/app/playbook"));
const editor = (key: string, form: Record<string, string>, shop = SHOP) =>
  callRoute(editorAction, adminRequest(shop, `/app/playbook/${key}`, { form }), { key });
const openEditor = (key: string, shop = SHOP) => callRoute(editorLoader, adminRequest(shop, `/app/playbook/${key}`), { key });
const triggerCount = (shop = SHOP) => prisma.trigger.count({ where: { shop, retiredAt: null } });

/** A valid new trigger, as the editor posts it: fires when a subscriber's health turns watch or worse. */
const newTrigger = (over: Partial<EditorValues> = {}): Record<string, string> => ({
  ...NEW_TRIGGER_VALUES,
  name: "Slipping to watch",
  conditionType: "entered_band",
  band: "watch",
  cooldownDays: "30",
  ...over,
});

/** Dry run then save: the way the editor creates a trigger. Returns the new key. */
async function createTrigger(values: Record<string, string>, shop = SHOP): Promise<string> {
  const preview = await editor("new", { ...values, intent: "dry-run" }, shop);
  expect(preview.status).toBe(200);
  const saved = await editor("new", { ...values, intent: "save", dryRunToken: preview.body.preview.token }, shop);
  expect(saved.status).toBe(200);
  return saved.body.key;
}

beforeAll(async () => {
  ({ now } = await seededShop(SHOP, { subscribers: 300 }));
  await seededShop(OTHER, { subscribers: 50, seed: 3 });
  await seedFirings();
}, 60_000);

/**
 * Five firings of "Crossed into at risk" with known fates, so every figure on the list
 * has one right answer: 4 treated, each with a task and its Klaviyo event delivered;
 * 3 tasks worked (2 kept, 1 cancelled anyway), 1 closed as a false alarm; 1 held out.
 * And two of "Card expires before next billing" (no task) still inside their outcome
 * window, one event delivered. No other trigger has fired.
 */
async function seedFirings() {
  // The store's own scoring fires a trigger or two, which ones depending on the day it ends: only these count.
  await prisma.firing.deleteMany({ where: { shop: SHOP } });
  const subs = await prisma.subscriber.findMany({ where: { shop: SHOP }, select: { id: true }, take: 7, orderBy: { id: "asc" } });
  const rows = [
    { daysAgo: 5, holdout: false, outcome: "retained", closeReason: "resolved" },
    { daysAgo: 10, holdout: false, outcome: "cancelled", closeReason: "churned_anyway" },
    { daysAgo: 20, holdout: true, outcome: "retained", closeReason: null },
    { daysAgo: 60, holdout: false, outcome: "retained", closeReason: "could_not_reach" },
    { daysAgo: 200, holdout: false, outcome: "churned", closeReason: "false_positive" },
  ];
  for (const [i, r] of rows.entries()) {
    // Written now, dated when it fired: the counts go by the firing's time.
    const firedAt = new Date(now.getTime() - r.daysAgo * DAY);
    const firing = await prisma.firing.create({
      data: {
        shop: SHOP,
        triggerKey: "entered-at-risk",
        subscriberId: subs[i].id,
        firedAt,
        holdout: r.holdout,
        reasons: "[]",
        snapshot: "{}",
        outcomeDueAt: new Date(firedAt.getTime() + 45 * DAY),
        // The Klaviyo event beside the task went out; acting on the firing is working the task.
        actionAt: r.holdout ? null : new Date(firedAt.getTime() + 60_000),
        outcome: r.outcome,
      },
    });
    if (r.holdout) continue;
    await prisma.task.create({
      data: {
        shop: SHOP,
        firingId: firing.id,
        subscriberId: subs[i].id,
        title: "Crossed into at risk",
        suggestedAction: "Reach out",
        reasons: "[]",
        owner: "Store owner",
        priority: "high",
        dueAt: new Date(firedAt.getTime() + 2 * DAY),
        status: "done",
        closedAt: new Date(firedAt.getTime() + DAY),
        closeReason: r.closeReason,
      },
    });
  }
  for (const [i, daysAgo] of [2, 1].entries()) {
    const firedAt = new Date(now.getTime() - daysAgo * DAY);
    await prisma.firing.create({
      data: {
        shop: SHOP,
        triggerKey: "card-expiring",
        subscriberId: subs[5 + i].id,
        firedAt,
        holdout: false,
        reasons: "[]",
        snapshot: "{}",
        outcomeDueAt: new Date(firedAt.getTime() + 30 * DAY),
        actionAt: i === 0 ? new Date(firedAt.getTime() + 60_000) : null,
      },
    });
  }
}

describe("the playbook list", () => {
  it("shows every default trigger in plain words with its owner, priority, SLA and holdout", async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.rows.map((r: any) => r.key).sort()).toEqual(DEFAULT_PLAYBOOK.map((t) => t.id).sort());
    const skip = body.rows.find((r: any) => r.key === "skip-streak");
    expect(skip).toMatchObject({
      name: "Two skips in a row",
      condition: "Skipped 2 or more deliveries in a row",
      segment: "Every subscriber",
      plays: ['Klaviyo event "Lifeline: Skip Streak"'],
      owner: "Store owner",
      priority: "normal",
      slaHours: 72,
      holdoutPercent: 10,
      enabled: true,
      isDefault: true,
    });
    // Most urgent first, as the engine considers them.
    expect(body.rows[0].priority).toBe("urgent");
  });

  it("counts firings over 30 and 90 days by when they fired, and measures action, outcome, false positives and lift", async () => {
    const { body } = await list();
    const atRisk = body.rows.find((r: any) => r.key === "entered-at-risk");
    expect(atRisk.firings30).toBe(3);
    expect(atRisk.firings90).toBe(4);
    expect(atRisk.firingsTotal).toBe(5);
    expect(atRisk.holdoutFirings).toBe(1);
    // Acted on is a worked task: the delivered Klaviyo event beside the false alarm does not count.
    expect(atRisk.actedOnByTask).toBe(true);
    expect(atRisk.triggerToAction).toEqual({ successes: 3, n: 4, rate: 0.75 });
    expect(atRisk.actionToOutcome).toEqual({ successes: 2, n: 3, rate: 2 / 3 });
    expect(atRisk.falsePositive).toEqual({ successes: 1, n: 4, rate: 0.25 });
    expect(atRisk.decidedOutcomes).toBe(5);
    expect(atRisk.lift).toMatchObject({ kind: "insufficient_sample", treatedN: 4, holdoutN: 1 });
    const quiet = body.rows.find((r: any) => r.key === "loyalty-ask");
    expect(quiet.firings90).toBe(0);
    expect(quiet.triggerToAction.rate).toBeNull();
    expect(quiet.nextOutcomeAt).toBeNull();
  });

  it("shows no outcome figure before the first outcome window closes, only when it will", async () => {
    const { body } = await list();
    const card = body.rows.find((r: any) => r.key === "card-expiring");
    expect(card.actedOnByTask).toBe(false);
    expect(card.triggerToAction).toEqual({ successes: 1, n: 2, rate: 0.5 });
    expect(card.decidedOutcomes).toBe(0);
    expect(card.nextOutcomeAt).toBe(new Date(now.getTime() - 2 * DAY + 30 * DAY).toISOString());
  });

  it("holds out the same number of firings as the reports page", async () => {
    const [{ body: playbook }, { body: reports }] = await Promise.all([list(), callRoute(reportsLoader, adminRequest(SHOP, "/app/reports"))]);
    for (const t of reports.triggers) {
      const row = playbook.rows.find((r: any) => r.key === t.triggerId);
      expect({ key: row.key, firings: row.firingsTotal, heldOut: row.holdoutFirings, acted: row.triggerToAction }).toEqual({
        key: t.triggerId,
        firings: t.firings,
        heldOut: t.holdoutFirings,
        acted: t.triggerToAction,
      });
    }
    expect(reports.triggers.find((t: any) => t.triggerId === "entered-at-risk").holdoutFirings).toBe(1);
  });

  it("gives the store's first firing, so 30- and 90-day counts that both start there are explained", async () => {
    const { body } = await list();
    expect(body.firstFiredAt).toBe(new Date(now.getTime() - 200 * DAY).toISOString());
  });

  it("switches a trigger off at once, and the engine stops seeing it as on", async () => {
    const { status, body } = await callRoute(listAction, adminRequest(SHOP, "/app/playbook", { form: { intent: "toggle", key: "skip-streak", enabled: "false" } }));
    expect(status).toBe(200);
    expect(body.message).toMatch(/Two skips in a row: off/);
    const after = await list();
    expect(after.body.rows.find((r: any) => r.key === "skip-streak").enabled).toBe(false);
    const live = await loadTriggers(prisma, SHOP);
    expect(live.find((t) => t.id === "skip-streak")?.enabled).toBe(false);
    const otherShop = await list(OTHER);
    expect(otherShop.body.rows.find((r: any) => r.key === "skip-streak").enabled).toBe(true);

    await callRoute(listAction, adminRequest(SHOP, "/app/playbook", { form: { intent: "toggle", key: "skip-streak", enabled: "true" } }));
    expect((await loadTriggers(prisma, SHOP)).find((t) => t.id === "skip-streak")?.enabled).toBe(true);
  });

  it("says Klaviyo is not connected when asked to send test events without a key, and points to Settings", async () => {
    expect((await list()).body.klaviyo.connected).toBe(false);
    const { status, body } = await callRoute(listAction, adminRequest(SHOP, "/app/playbook", { form: { intent: "test-events", email: "me@example.com" } }));
    expect(status).toBe(409);
    expect(body.notConnected).toBe(true);
    expect(body.error).toMatch(/Klaviyo is not connected/);
    expect(body.error).toMatch(/Settings/);
  });
});

describe("the trigger editor", () => {
  it("opens a default trigger with its values filled in", async () => {
    const { status, body } = await openEditor("payment-failed-hard");
    expect(status).toBe(200);
    expect(body).toMatchObject({ key: "payment-failed-hard", isNew: false, isDefault: true });
    expect(body.values).toMatchObject({ conditionType: "payment_failed", failureClass: "hard_decline", playEvent: "true", playTask: "true", priority: "urgent" });
  });

  it("marks an invalid threshold on its field, keeps what was typed, and saves nothing", async () => {
    const before = await triggerCount();
    const typed = newTrigger({ conditionType: "consecutive_skips_at_least", n: "0", slaHours: "" });
    const saved = await editor("new", { ...typed, intent: "save" });
    expect(saved.status).toBe(400);
    expect(saved.body.fieldErrors.n).toBe("Skips in a row must be at least 1");
    expect(saved.body.fieldErrors.slaHours).toBe("Hours to work a task is required");
    expect(saved.body.values).toMatchObject({ n: "0", name: "Slipping to watch", slaHours: "" });
    const previewed = await editor("new", { ...typed, intent: "dry-run" });
    expect(previewed.status).toBe(400);
    expect(previewed.body.fieldErrors.n).toMatch(/at least 1/);
    expect(await triggerCount()).toBe(before);
  });

  it("refuses to save a new trigger that was not previewed, or was previewed with another condition", async () => {
    const before = await triggerCount();
    const values = newTrigger({ name: "Never previewed" });
    const blind = await editor("new", { ...values, intent: "save" });
    expect(blind.status).toBe(409);
    expect(blind.body.needsDryRun).toBe(true);

    const preview = await editor("new", { ...values, band: "critical", intent: "dry-run" });
    const swapped = await editor("new", { ...values, intent: "save", dryRunToken: preview.body.preview.token });
    expect(swapped.status).toBe(409);
    const otherShopsPreview = await editor("new", { ...values, intent: "dry-run" }, OTHER);
    const borrowed = await editor("new", { ...values, intent: "save", dryRunToken: otherShopsPreview.body.preview.token });
    expect(borrowed.status).toBe(409);
    expect(await triggerCount()).toBe(before);
  });

  it("previews the last 90 days week by week with the first 20 subscribers of this shop", async () => {
    const { status, body } = await editor("new", { ...newTrigger(), intent: "dry-run" });
    expect(status).toBe(200);
    const p = body.preview;
    expect(p.windowDays).toBe(90);
    expect(p.perWeek.length).toBeGreaterThanOrEqual(13);
    expect(p.perWeek.reduce((s: number, w: any) => s + w.count, 0)).toBe(p.totalFirings);
    expect(p.totalFirings).toBeGreaterThan(0);
    expect(p.subscribers.length).toBe(Math.min(20, p.subscribersAffected));
    const ours = await prisma.subscriber.count({ where: { shop: SHOP, id: { in: p.subscribers.map((s: any) => s.id) } } });
    expect(ours).toBe(p.subscribers.length);
    expect(p.subscribers[0].name).not.toBe("");
  });

  it("creates a previewed trigger, which then appears in the list and in the engine", async () => {
    const key = await createTrigger(newTrigger({ name: "Slipping: check in", playEvent: "false", playTask: "true", suggestedAction: "Call them" }));
    expect(key).toBe("slipping-check-in");
    const { body } = await list();
    const row = body.rows.find((r: any) => r.key === key);
    expect(row).toMatchObject({ name: "Slipping: check in", condition: "Health score became watch or worse", isDefault: false, enabled: true, plays: ["Task: Call them"] });
    expect((await loadTriggers(prisma, SHOP)).map((t) => t.id)).toContain(key);
    // The same name again gets its own key: firing history is never shared.
    expect(await createTrigger(newTrigger({ name: "Slipping: check in" }))).toBe("slipping-check-in-2");
  });

  it("saves a renamed trigger without a preview, but not a changed condition", async () => {
    const opened = await openEditor("card-expiring");
    const renamed = await editor("card-expiring", { ...opened.body.values, name: "Card expiring soon", intent: "save" });
    expect(renamed.status).toBe(200);
    expect((await openEditor("card-expiring")).body.values.name).toBe("Card expiring soon");
    const recut = await editor("card-expiring", { ...opened.body.values, segmentValue: "high", intent: "save" });
    expect(recut.status).toBe(409);
    expect((await openEditor("card-expiring")).body.values.segmentValue).toBe("*");
  });

  it("answers 404 for another shop's trigger, to read, save or switch", async () => {
    const theirs = await createTrigger(newTrigger({ name: "Their own trigger" }), OTHER);
    expect((await openEditor(theirs)).status).toBe(404);
    const opened = await openEditor(theirs, OTHER);
    expect((await editor(theirs, { ...opened.body.values, name: "Taken over", intent: "save" })).status).toBe(404);
    expect((await editor(theirs, { intent: "delete" })).status).toBe(404);
    const toggled = await callRoute(listAction, adminRequest(SHOP, "/app/playbook", { form: { intent: "toggle", key: theirs, enabled: "false" } }));
    expect(toggled.status).toBe(404);
    expect((await openEditor(theirs, OTHER)).body.values).toMatchObject({ name: "Their own trigger", enabled: "true" });
  });

  it("deletes a custom trigger but only switches off a default one", async () => {
    const key = await createTrigger(newTrigger({ name: "Short lived" }));
    const deleted = await editor(key, { intent: "delete" });
    expect(deleted.status).toBe(200);
    expect((await list()).body.rows.map((r: any) => r.key)).not.toContain(key);
    expect((await openEditor(key)).status).toBe(404);

    const refused = await editor("skip-streak", { intent: "delete" });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/switch it off/);
    expect((await list()).body.rows.map((r: any) => r.key)).toContain("skip-streak");
  });
});
