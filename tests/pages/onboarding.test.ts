// The home page's first-run steps for where subscription events come from: which app the store
// uses (saved on the shop), then that app's steps; and the plain warning when no subscription
// event has arrived in the last 24 hours. Through the real home loader and settings action.
// "recharge" here is a small stand-in definition whose vendor answers from this file.
import { beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { loader as home } from "~/routes/app._index";
import { action as settings } from "~/routes/app.settings";
import { setupSteps } from "~/pages/home/SetupChecklist";
import { quietChecks } from "~/pages/home/source-steps";
import { FLOW_STEPS, SUBSCRIPTION_APPS } from "~/pages/settings/sources-options";
import { adminRequest, callRoute } from "../support/admin";
import { drain } from "../support/app";
import { installShop } from "../support/shop";

const { TEST_SOURCES } = vi.hoisted(() => {
  const common = { topics: ["charge/paid"], verify: () => ({ ok: false as const, status: 401 as const, reason: "not used here" }), toRecords: () => [] };
  const recharge = {
    ...common,
    id: "recharge",
    name: "Recharge",
    credentialFields: [{ key: "apiToken", label: "API token", helpText: "" }],
    contractKey: (id: string) => `recharge:${id}`,
    connector: {
      testConnection: async (ctx: { credentials: Record<string, string> }) =>
        ctx.credentials.apiToken === "good-token" ? { ok: true, message: "Recharge accepted the token." } : { ok: false, message: "Recharge refused the token." },
      async backfill(run: { savePage: (records: never[], progress: Record<string, unknown>) => Promise<void> }) {
        await run.savePage([], { subscriptions: 1200, charges: 3400 });
      },
    },
  };
  const flow = { ...common, id: "flow", name: "Shopify Flow", credentialFields: [], contractKey: (id: string) => id };
  return { TEST_SOURCES: [recharge, flow] };
});

vi.mock("~/sources/registry.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/sources/registry.server")>();
  const list = TEST_SOURCES as unknown as ReturnType<typeof real.allSources>;
  return { ...real, allSources: () => list, sourceById: (id: string) => list.find((s) => s.id === id) ?? null };
});

const RECHARGE_SHOP = "onboarding-recharge.myshopify.com";
const LOOP_SHOP = "onboarding-loop.myshopify.com";
const QUIET_SHOP = "onboarding-quiet.myshopify.com";
const NEIGHBOUR = "onboarding-neighbour.myshopify.com";

const homePage = async (shop: string) => (await callRoute(home, adminRequest(shop, "/app"))).body;
const steps = async (shop: string) => {
  const body = await homePage(shop);
  return setupSteps({ ...body.checklist, scoring: null, onboarding: body.onboarding });
};
const choose = (shop: string, app: string) => callRoute(settings, adminRequest(shop, "/app/settings", { form: { intent: "subscription-app", app } }));

async function delivery(shop: string, topic: string, receivedAt: Date) {
  const deliveryKey = `${topic}:${receivedAt.getTime()}`;
  await prisma.webhookDelivery.create({
    data: { shop, deliveryKey, topic, webhookId: deliveryKey, apiVersion: "test", receivedAt, body: "{}", processedAt: receivedAt },
  });
}

beforeAll(async () => {
  for (const shop of [RECHARGE_SHOP, LOOP_SHOP, QUIET_SHOP, NEIGHBOUR]) {
    await installShop(shop);
    await prisma.shop.create({ data: { shop, backfillStatus: "done", backfillCount: 0 } });
  }
});

describe("which subscription app the store uses", () => {
  it("is the first step, asked before anything else about where events come from", async () => {
    const [first, second] = await steps(RECHARGE_SHOP);
    expect(first).toMatchObject({ id: "subscription-app", done: false });
    expect(first.points).toEqual([
      "Connected directly, in Settings: Recharge.",
      "Through Shopify Flow: Shopify Subscriptions (it sends its webhooks to no other app); Appstle Subscriptions, Loop Subscriptions, Skio and Stay AI (their webhook signatures or payloads are not documented well enough for a direct connector); Seal Subscriptions (no direct connector on this server); and any other app on Shopify's subscription contracts.",
    ]);
    expect(second.id).toBe("backfill");
  });

  it("is saved on the shop, and an app Lifeline does not know is refused", async () => {
    const refused = await choose(RECHARGE_SHOP, "nonsense");
    expect(refused.status).toBe(400);
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: RECHARGE_SHOP } })).subscriptionApp).toBeNull();

    const saved = await choose(RECHARGE_SHOP, "recharge");
    expect(saved).toMatchObject({ status: 200, body: { ok: true, message: "Saved: your store uses Recharge." } });
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: RECHARGE_SHOP } })).subscriptionApp).toBe("recharge");
    expect((await homePage(RECHARGE_SHOP)).onboarding.subscriptionApp).toBe("recharge");
  });

  it("offers every app the onboarding names", () => {
    expect(SUBSCRIPTION_APPS.map((a) => a.name)).toEqual([
      "Shopify Subscriptions",
      "Recharge",
      "Seal Subscriptions",
      "Appstle Subscriptions",
      "Loop Subscriptions",
      "Skio",
      "Stay AI",
      "Another app",
    ]);
  });
});

describe("the steps for the app", () => {
  it("Recharge: connect it in Settings, done once connected, with the import's progress", async () => {
    let [chosen, connect] = await steps(RECHARGE_SHOP);
    expect(chosen).toMatchObject({ done: true, detail: "Your store uses Recharge." });
    expect(connect).toMatchObject({ id: "connect", title: "Connect Recharge in Settings", done: false, action: { url: "/app/settings#subscription-app" } });

    const connected = await callRoute(
      settings,
      adminRequest(RECHARGE_SHOP, "/app/settings", { form: { intent: "source-connect", source: "recharge", "credential.apiToken": "good-token" } }),
    );
    expect(connected.status).toBe(200);
    [, connect] = await steps(RECHARGE_SHOP);
    expect(connect).toMatchObject({ done: true, detail: "Connected. The import from Recharge starts in a moment." });

    await drain();
    [, connect] = await steps(RECHARGE_SHOP);
    expect(connect.detail).toBe("Connected. Imported 1,200 subscriptions, 3,400 charges.");
    // Shopify's own import finds no contracts Lifeline can read: said as what it means.
    expect((await steps(RECHARGE_SHOP)).find((s) => s.id === "backfill")!.detail).toBe(
      "Shopify lists no subscription contracts Lifeline can read itself: your subscribers come from Recharge.",
    );
  });

  it("Loop: install the Flow templates, with the steps and why there is no direct connector; done once an event came through Flow", async () => {
    await choose(LOOP_SHOP, "loop");
    let [, flow] = await steps(LOOP_SHOP);
    expect(flow).toMatchObject({ id: "flow", title: "Install the Flow templates", done: false, list: FLOW_STEPS });
    expect(flow.detail).toMatch(/^Loop does not document how its webhook signature is computed/);
    expect(flow.note).toContain('the action "Record subscription event in Lifeline"');

    const at = new Date(Date.now() - 3_600_000);
    await delivery(LOOP_SHOP, "flow:billing_attempt_failed", at);
    [, flow] = await steps(LOOP_SHOP);
    expect(flow).toMatchObject({ done: true });
    expect(flow.detail).toMatch(/^Events are arriving through Shopify Flow: the last one /);
    expect(flow.list).toBeUndefined();
  });

  it("Shopify Subscriptions and the other Flow apps each say why they come through Flow", async () => {
    for (const app of ["shopify", "appstle", "skio", "stayai", "other"]) {
      await choose(QUIET_SHOP, app);
      const [, flow] = await steps(QUIET_SHOP);
      expect(flow.id).toBe("flow");
      expect(flow.detail).toBe(SUBSCRIPTION_APPS.find((a) => a.id === app)!.throughFlow);
    }
  });
});

describe("no subscription events in the last 24 hours", () => {
  it("is said when none arrived, with what to check for the app, and no longer once one did", async () => {
    const hour = 3_600_000;
    const quiet = async () => (await homePage(QUIET_SHOP)).onboarding.recentEvents;
    expect(await quiet()).toEqual({ count: 0, lastAt: null });

    // Older than a day, of another shop, or not a subscription topic: still quiet.
    await delivery(QUIET_SHOP, "subscription_billing_attempts/success", new Date(Date.now() - 25 * hour));
    await delivery(NEIGHBOUR, "subscription_billing_attempts/success", new Date(Date.now() - hour));
    await delivery(QUIET_SHOP, "customer_payment_methods/update", new Date(Date.now() - hour));
    await delivery(QUIET_SHOP, "app/uninstalled", new Date(Date.now() - hour));
    const stillQuiet = await quiet();
    expect(stillQuiet.count).toBe(0);
    expect(Date.now() - new Date(stillQuiet.lastAt).getTime()).toBeGreaterThan(24 * hour);
    const body = await homePage(QUIET_SHOP);
    expect(quietChecks(body.onboarding)[0]).toBe("In Shopify Flow, that the Lifeline workflows are turned on, and that their recent runs show no errors.");

    await delivery(QUIET_SHOP, "subscription_contracts/update", new Date(Date.now() - 2 * hour));
    expect((await quiet()).count).toBe(1);
    await delivery(QUIET_SHOP, "recharge:charge/paid", new Date(Date.now() - hour));
    expect((await quiet()).count).toBe(2);
  });

  it("tells a store that has not said which app it uses to do that first", async () => {
    const body = await homePage(NEIGHBOUR);
    expect(body.onboarding.recentEvents.count).toBe(1);
    expect(quietChecks({ ...body.onboarding, subscriptionApp: null })).toEqual([
      "Tell Lifeline which subscription app your store uses (in the set-up steps), then connect it or install the Flow templates.",
    ]);
  });
});
