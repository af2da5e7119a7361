import { beforeEach, expect, test } from "vitest";
import { post, drain, prisma } from "../support/app";
import { installShop } from "../support/shop";
import { fixture } from "../support/webhooks";
import { mockAdminOperation, resetAdminApi } from "../support/admin-api";
import { contractNode } from "../support/factories";

const shop = "private.myshopify.com";
const other = "neighbour.myshopify.com";
const PERSONAL = ["john@example.com", "Jim Smith", "555-625-1199", "John", "Doe"];

/** Every value in every table, as text: what a redaction must leave clean. */
async function everything(where: { shop: string }): Promise<string> {
  const tables = await Promise.all([
    prisma.subscriber.findMany({ where }),
    prisma.contract.findMany({ where }),
    prisma.subscriberEvent.findMany({ where }),
    prisma.webhookDelivery.findMany({ where }),
    prisma.job.findMany({ where }),
    prisma.dataRequest.findMany({ where }),
    prisma.session.findMany({ where }),
    prisma.shop.findMany({ where }),
  ]);
  return JSON.stringify(tables, (_k, v) => (typeof v === "bigint" ? String(v) : v));
}

beforeEach(async () => {
  resetAdminApi();
  mockAdminOperation("SubscriptionContractDetails", (vars) => ({
    subscriptionContract: contractNode({ id: String(vars.id).split("/").pop()!, customerId: "191167", email: "john@example.com", firstName: "John", lastName: "Doe" }),
  }));
  for (const s of [shop, other]) {
    await installShop(s);
    await post({ topic: "subscription_contracts/create", shop: s, body: { ...fixture("subscription_contracts-create.json"), customer_id: 191167 } });
    await post({ topic: "customer_payment_methods/create", shop: s, body: { ...fixture("customer_payment_methods-create.json"), customer_id: 191167 } });
    // The contract's enrichment (email, names) has run by the time Shopify asks for the data.
    await drain();
    await post({ topic: "customers/data_request", shop: s, body: fixture("customers-data_request.json") });
  }
  await drain();
});

test("a data request assembles what is held about the customer", async () => {
  const request = await prisma.dataRequest.findFirstOrThrow({ where: { shop, requestId: "9999" } });
  const report = JSON.parse(request.report);
  expect(report.identity.email).toBe("john@example.com");
  expect(report.contracts).toHaveLength(1);
  expect(report.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(["contract.created", "payment_method.added"]));
});

test("customers/redact leaves none of the customer's personal data, and the anonymous timeline stays", async () => {
  expect(await everything({ shop })).toContain("john@example.com");
  await post({ topic: "customers/redact", shop, body: fixture("customers-redact.json") });
  await drain();
  const held = await everything({ shop });
  for (const value of PERSONAL) expect(held).not.toContain(value);
  expect(await prisma.subscriberEvent.count({ where: { shop } })).toBeGreaterThan(0);
  // Another shop's copy of the same customer is untouched.
  expect(await everything({ shop: other })).toContain("john@example.com");
});

test("a redacted subscriber stays redacted when later webhooks bring their details again", async () => {
  await post({ topic: "customers/redact", shop, body: fixture("customers-redact.json") });
  await drain();
  await post({ topic: "subscription_contracts/update", shop, body: { ...fixture("subscription_contracts-update.json"), customer_id: 191167, revision_id: "9998878779" } });
  await drain();
  const subscriber = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "191167" } });
  expect(subscriber.email).toBeNull();
  expect(subscriber.redactedAt).not.toBeNull();
});

test("shop/redact erases every row the shop owns, and only that shop's", async () => {
  await post({ topic: "shop/redact", shop, body: fixture("shop-redact.json") });
  await drain();
  const counts = await Promise.all([
    prisma.subscriber.count({ where: { shop } }),
    prisma.contract.count({ where: { shop } }),
    prisma.subscriberEvent.count({ where: { shop } }),
    prisma.dataRequest.count({ where: { shop } }),
    prisma.session.count({ where: { shop } }),
    prisma.webhookDelivery.count({ where: { shop } }),
  ]);
  expect(counts).toEqual([0, 0, 0, 0, 0, 0]);
  expect(await prisma.subscriber.count({ where: { shop: other } })).toBe(1);
});

test("shop/redact leaves no row for the shop in any table that has a shop column", async () => {
  // Scores, plays, tasks, settings, the playbook and the Klaviyo key too, not only the timeline.
  const { startRescore, scoreDirtySubscribers } = await import("~/rescore/index.server");
  await startRescore(shop, "before redact", new Date());
  await scoreDirtySubscribers(new Date());
  await prisma.shopSettings.create({ data: { shop } });
  await prisma.klaviyoConnection.create({ data: { shop, encryptedKey: "sealed", validatedAt: new Date() } });
  await prisma.helpdeskConnection.create({ data: { shop, encryptedSecret: "sealed" } });
  const tables = (await prisma.$queryRawUnsafe<{ name: string }[]>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'",
  )).map((t) => t.name);
  const withShop: string[] = [];
  for (const table of tables) {
    const columns = await prisma.$queryRawUnsafe<{ name: string }[]>(`PRAGMA table_info("${table}")`);
    if (columns.some((c) => c.name === "shop")) withShop.push(table);
  }
  const rowsOf = async (s: string) => {
    const out: Record<string, number> = {};
    for (const table of withShop) {
      const [{ n }] = await prisma.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "${table}" WHERE shop = ?`, s);
      if (Number(n) > 0) out[table] = Number(n);
    }
    return out;
  };
  expect(Object.keys(await rowsOf(shop))).toEqual(expect.arrayContaining(["HealthScore", "Trigger", "ShopSettings", "KlaviyoConnection", "HelpdeskConnection"]));
  await post({ topic: "shop/redact", shop, body: fixture("shop-redact.json") });
  await drain();
  // Only the erasing job's own record is left: done, with no body and nothing personal.
  expect(await rowsOf(shop)).toEqual({ Job: 1 });
  expect(await prisma.job.findFirstOrThrow({ where: { shop } })).toMatchObject({ status: "done", payload: "{}" });
  expect(await rowsOf(other)).not.toEqual({});
});

test("app/uninstalled removes the shop's sessions and keeps its data until shop/redact", async () => {
  await post({ topic: "app/uninstalled", shop, body: fixture("app-uninstalled.json") });
  await drain();
  expect(await prisma.session.count({ where: { shop } })).toBe(0);
  expect(await prisma.session.count({ where: { shop: other } })).toBe(1);
  expect(await prisma.subscriber.count({ where: { shop } })).toBe(1);
});
