// The settings page's subscription-app section, through its real loader and actions: connecting
// a source (credentials checked with the vendor, then stored sealed and a setup job queued),
// testing, disconnecting, and the status line's figures against inbox rows put in by hand.
// The sources are small definitions made here, whose vendor answers from this file: the real
// connectors are tested against their local vendor servers elsewhere.
import { beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import * as route from "~/routes/app.settings";
import { sourceCredentials } from "~/models/source-connection.server";
import { sourceJobKey } from "~/sources/connect.server";
import { importedCounts, statusParts } from "~/pages/settings/source-status";
import { adminRequest, callRoute } from "../support/admin";
import { drain } from "../support/app";
import { installShop } from "../support/shop";

const { vendor, TEST_SOURCES } = vi.hoisted(() => {
  /** What the made-up vendor "Acme" knows: the tokens it accepts, and what Lifeline asked of it. */
  const vendor = { tokens: new Set<string>(), checked: [] as string[], removed: [] as string[][] };
  const common = {
    topics: ["charge/paid"],
    verify: () => ({ ok: false as const, status: 401 as const, reason: "not used here" }),
    toRecords: () => [],
  };
  const acme = {
    ...common,
    id: "acme",
    name: "Acme Subscriptions",
    credentialFields: [{ key: "apiToken", label: "API token", helpText: "In Acme, Settings, API tokens." }],
    contractKey: (id: string) => `acme:${id}`,
    connector: {
      async testConnection(ctx: { credentials: Record<string, string> }) {
        vendor.checked.push(ctx.credentials.apiToken);
        if (vendor.tokens.has(ctx.credentials.apiToken)) return { ok: true, message: "Acme accepted the token." };
        return { ok: false, message: `Acme refused the token ${ctx.credentials.apiToken}: create a new one in Acme.` };
      },
      registerWebhooks: async () => ["wh-1", "wh-2", "wh-3"],
      removeWebhooks: async (_ctx: unknown, ids: string[]) => void vendor.removed.push(ids),
      async backfill(run: { savePage: (records: never[], progress: Record<string, unknown>) => Promise<void> }) {
        await run.savePage([], { stage: "subscriptions", cursor: "c1", subscriptions: 2000 });
        await run.savePage([], { stage: "charges", cursor: "c2", subscriptions: 4000, charges: 12500 });
      },
    },
  };
  /** A vendor whose webhooks are set up by hand: the card shows where to paste the address. */
  const handset = {
    ...common,
    id: "handset",
    name: "Handset",
    credentialFields: [{ key: "secret", label: "Signing secret", helpText: "Shown once in Handset." }],
    contractKey: (id: string) => `handset:${id}`,
    connector: {
      testConnection: async () => ({ ok: true, message: "Handset accepted the secret." }),
      manualSetup: "In Handset, open Settings, Webhooks, and add the address below for every subscription event.",
    },
  };
  const flow = { ...common, id: "flow", name: "Shopify Flow", credentialFields: [], contractKey: (id: string) => id };
  return { vendor, TEST_SOURCES: [acme, handset, flow] };
});

vi.mock("~/sources/registry.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/sources/registry.server")>();
  const list = TEST_SOURCES as unknown as ReturnType<typeof real.allSources>;
  return { ...real, allSources: () => list, sourceById: (id: string) => list.find((s) => s.id === id) ?? null };
});

const SHOP = "sources-settings.myshopify.com";
const OTHER = "sources-other.myshopify.com";
const GOOD = "acme_live_7f3a9c2e5b1d4a68TOPSECRET";
const APP_URL = process.env.SHOPIFY_APP_URL;

const page = async (shop = SHOP) => (await callRoute(route.loader, adminRequest(shop, "/app/settings"))).body;
const post = (form: Record<string, string>, shop = SHOP) => callRoute(route.action, adminRequest(shop, "/app/settings", { form }));
const card = async (id: string, shop = SHOP) => (await page(shop)).sources.connectors.find((c: { id: string }) => c.id === id);

beforeAll(async () => {
  vendor.tokens.add(GOOD);
  for (const shop of [SHOP, OTHER]) {
    await installShop(shop);
    await prisma.shop.create({ data: { shop, backfillStatus: "done" } });
  }
});

describe("the subscription-app section", () => {
  it("shows a card per connector with its fields and what connecting does, the hand set-up address, and the Flow card", async () => {
    const { sources } = await page();
    expect(sources.connectors.map((c: { id: string }) => c.id)).toEqual(["acme", "handset"]);
    const [acme, handset] = sources.connectors;
    expect(acme).toMatchObject({ name: "Acme Subscriptions", registersWebhooks: true, imports: true, manualSetup: null });
    expect(acme.fields).toEqual([{ key: "apiToken", label: "API token", helpText: "In Acme, Settings, API tokens." }]);
    expect(acme.status).toMatchObject({ lastEventAt: null, failed: 0, waiting: 0, connection: { connected: false, webhooksRegistered: 0 } });
    expect(handset.manualSetup).toEqual({
      text: "In Handset, open Settings, Webhooks, and add the address below for every subscription event.",
      webhookAddress: `${APP_URL}/api/sources/handset/${SHOP}`,
    });
    expect(sources.flow).toMatchObject({ id: "flow", fields: [], status: { lastEventAt: null, connection: null } });
  });

  it("refuses credentials the vendor refuses, with its message (the pasted token hidden), and stores nothing", async () => {
    const bad = "acme_live_revoked_0000111122223333";
    const { status, body } = await post({ intent: "source-connect", source: "acme", "credential.apiToken": bad });
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
    expect(body.error).toBe("Acme refused the token [hidden]: create a new one in Acme.");
    expect(vendor.checked).toContain(bad);
    expect(JSON.stringify(body)).not.toContain(bad);
    expect(await prisma.sourceConnection.count({ where: { shop: SHOP } })).toBe(0);
    expect(await prisma.job.count({ where: { queue: "source", shop: SHOP } })).toBe(0);
  });

  it("asks for a missing field on the field itself, without calling the vendor", async () => {
    const calls = vendor.checked.length;
    const { status, body } = await post({ intent: "source-connect", source: "acme", "credential.apiToken": "  " });
    expect(status).toBe(400);
    expect(body.fieldErrors).toEqual({ "credential.apiToken": "Enter the API token." });
    expect(vendor.checked.length).toBe(calls);
    expect(await prisma.sourceConnection.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("refuses a source that has nothing to connect, or none at all", async () => {
    for (const source of ["flow", "nowhere", ""]) {
      const { status, body } = await post({ intent: "source-connect", source, "credential.apiToken": GOOD });
      expect(status).toBe(400);
      expect(body.error).toBe("Choose which app to connect.");
    }
    expect(await prisma.sourceConnection.count()).toBe(0);
  });

  it("connects with good credentials: checked with the vendor, stored sealed, and the setup job queued", async () => {
    const { status, body } = await post({ intent: "source-connect", source: "acme", "credential.apiToken": GOOD });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, message: "Acme accepted the token. Lifeline is registering its webhooks and importing your history." });
    expect(vendor.checked.at(-1)).toBe(GOOD);

    const row = await prisma.sourceConnection.findUniqueOrThrow({ where: { shop_source: { shop: SHOP, source: "acme" } } });
    expect(row.encryptedCredentials).not.toContain(GOOD);
    expect(row.encryptedCredentials).not.toContain(GOOD.slice(10, 26));
    expect(await sourceCredentials(SHOP, "acme")).toEqual({ apiToken: GOOD });
    const job = await prisma.job.findUniqueOrThrow({ where: { queue_key: { queue: "source", key: sourceJobKey(SHOP, "acme") } } });
    expect(job).toMatchObject({ shop: SHOP, status: "pending" });
    expect(JSON.parse(job.payload)).toEqual({ source: "acme" });
  });

  it("never puts the credentials in the page's data: connected, with the date, and masked", async () => {
    const data = await page();
    expect(JSON.stringify(data)).not.toContain(GOOD);
    expect(JSON.stringify(data)).not.toContain(GOOD.slice(10, 26));
    const acme = data.sources.connectors[0];
    expect(acme.status.connection).toMatchObject({ connected: true, backfillStatus: "pending" });
    expect(new Date(acme.status.connection.connectedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(Object.keys(acme.status.connection).sort()).toEqual(
      ["backfillAt", "backfillError", "backfillProgress", "backfillStatus", "connected", "connectedAt", "lastError", "lastErrorAt", "webhooksRegistered"].sort(),
    );
  });

  it("runs the setup job: webhooks registered at the vendor, history imported, both on the status line", async () => {
    await drain();
    const acme = await card("acme");
    expect(acme.status.connection).toMatchObject({ webhooksRegistered: 3, backfillStatus: "done", backfillError: null });
    expect(importedCounts(acme.status.connection.backfillProgress)).toBe("4,000 subscriptions, 12,500 charges");
    const line = statusParts(acme.status, acme.name, "UTC", { imports: true }).map((p) => p.text);
    expect(line).toEqual(["No events received yet.", "Imported 4,000 subscriptions, 12,500 charges.", "3 webhooks registered at Acme Subscriptions."]);
  });

  it("tests the connection: a revoked token shows on the status line as the last error, and a good answer clears it", async () => {
    const ok = await post({ intent: "source-test", source: "acme" });
    expect(ok).toMatchObject({ status: 200, body: { ok: true, message: "Acme accepted the token." } });

    vendor.tokens.delete(GOOD);
    const refused = await post({ intent: "source-test", source: "acme" });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/^Acme refused the token/);
    const broken = await card("acme");
    expect(broken.status.connection.lastError).toMatch(/^Acme refused the token/);
    expect(statusParts(broken.status, broken.name, "UTC", { imports: true }).at(-1)).toMatchObject({ tone: "critical" });

    vendor.tokens.add(GOOD);
    await post({ intent: "source-test", source: "acme" });
    expect((await card("acme")).status.connection).toMatchObject({ lastError: null, lastErrorAt: null });
  });

  it("answers a test of a source that is not connected with what is wrong", async () => {
    const { status, body } = await post({ intent: "source-test", source: "handset" });
    expect(status).toBe(400);
    expect(body.error).toBe("Not connected.");
  });
});

describe("the status line", () => {
  // Deliveries as the intake keeps them, each with its inbox job, written in the order they arrived.
  async function delivery(shop: string, topic: string, receivedAt: Date, state: "processed" | "failed" | "dead" | "waiting") {
    const deliveryKey = `${topic}:${receivedAt.getTime()}:${Math.random().toString(36).slice(2)}`;
    await prisma.webhookDelivery.create({
      data: {
        shop,
        deliveryKey,
        topic,
        webhookId: deliveryKey,
        apiVersion: "test",
        receivedAt,
        body: "{}",
        processedAt: state === "processed" ? receivedAt : null,
        error: state === "failed" || state === "dead" ? "payload failed validation" : null,
      },
    });
    const status = { processed: "done", failed: "pending", dead: "dead", waiting: "pending" }[state];
    // Not due for an hour, so nothing here is picked up by a worker while the test reads.
    await prisma.job.create({ data: { queue: "webhook", key: `${shop}:${deliveryKey}`, shop, status, runAt: new Date(Date.now() + 3_600_000) } });
  }

  it("counts the source's own deliveries: the last one received, those that failed, those waiting", async () => {
    const now = Date.now();
    const t = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
    await delivery(SHOP, "acme:charge/paid", t(90), "processed");
    await delivery(SHOP, "acme:subscription/cancelled", t(80), "dead");
    await delivery(SHOP, "acme:charge/failed", t(70), "failed");
    await delivery(SHOP, "acme:charge/paid", t(60), "waiting");
    await delivery(SHOP, "acme:charge/paid", t(50), "waiting");
    await delivery(SHOP, "acme:nonsense/topic", t(40), "processed");
    // Not Acme's: topics beside its range, another source, Shopify's own, another shop.
    await delivery(SHOP, "acme-eu:charge/paid", t(30), "waiting");
    await delivery(SHOP, "acmex:charge/paid", t(25), "dead");
    await delivery(SHOP, "handset:charge/paid", t(20), "waiting");
    await delivery(SHOP, "subscription_billing_attempts/failure", t(15), "dead");
    await delivery(OTHER, "acme:charge/paid", t(10), "waiting");

    const acme = await card("acme");
    expect(new Date(acme.status.lastEventAt)).toEqual(t(40));
    expect(acme.status).toMatchObject({ failed: 2, waiting: 2 });
    const handset = await card("handset");
    expect(handset.status).toMatchObject({ failed: 0, waiting: 1 });
    expect(new Date(handset.status.lastEventAt)).toEqual(t(20));

    const line = statusParts(acme.status, acme.name, "UTC", { imports: true });
    expect(line.slice(0, 3)).toEqual([
      { text: expect.stringMatching(/^Last event received [A-Z][a-z]{2} \d+, \d{4}, /) },
      { text: "2 deliveries failed: replay them from Failed deliveries on the home page.", tone: "critical" },
      { text: "2 deliveries waiting to be processed.", tone: "caution" },
    ]);
  });

  it("shows Flow's deliveries on the Flow card", async () => {
    const at = new Date(Date.now() - 5 * 60_000);
    await delivery(SHOP, "flow:billing_attempt_failed", at, "processed");
    const { sources } = await page();
    expect(new Date(sources.flow.status.lastEventAt)).toEqual(at);
  });
});

describe("the import's progress, in words", () => {
  it("shows each count a source keeps, at the top level or under counts, and leaves out where it stands", () => {
    expect(importedCounts({ stage: "charges", cursor: "abc", page: 7, subscriptions: 4000, charges: 12500, webhooksAt: "2026-12-01T00:00:00Z" })).toBe(
      "4,000 subscriptions, 12,500 charges",
    );
    expect(importedCounts({ counts: { subscriptions: 1, paymentMethods: 3 }, cursor: "x" })).toBe("1 subscription, 3 payment methods");
    expect(importedCounts({ past_charges: 2 })).toBe("2 past charges");
    expect(importedCounts({ stage: "subscriptions", cursor: null })).toBeNull();
  });
});

describe("disconnecting", () => {
  it("removes the webhooks at the vendor and forgets the credentials; the card shows not connected", async () => {
    const { status, body } = await post({ intent: "source-disconnect", source: "acme" });
    expect(status).toBe(200);
    expect(body.message).toBe("Disconnected from Acme Subscriptions. What was imported stays.");
    expect(vendor.removed).toEqual([["wh-1", "wh-2", "wh-3"]]);
    expect(await prisma.sourceConnection.count({ where: { shop: SHOP, source: "acme" } })).toBe(0);
    expect(await sourceCredentials(SHOP, "acme")).toBeNull();
    const acme = await card("acme");
    expect(acme.status.connection).toMatchObject({ connected: false, webhooksRegistered: 0 });
    // What arrived before stays counted: the inbox keeps it.
    expect(acme.status.lastEventAt).not.toBeNull();
  });
});
