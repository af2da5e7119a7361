// The shop's own terms (currency, IANA time zone, owner email): read from the Admin API
// after install, and kept current by shop/update through the real webhook route.
import { beforeEach, describe, expect, test } from "vitest";
import { post, drain, prisma } from "../support/app";
import { installShop } from "../support/shop";
import { adminCalls, mockAdminOperation, resetAdminApi, setAdminApiDown } from "../support/admin-api";
import { onInstalled } from "~/models/shop.server";
import { createWorkers } from "~/workers.server";
import { shopWeekContext } from "~/models/shop.server";

let shop = "";
let n = 0;

/** shop/update's body: Shopify's REST shop resource (trimmed to what matters here, plus a few neighbours). */
function shopUpdateBody(over: Partial<{ currency: string; iana_timezone: string; email: string }> = {}) {
  return {
    id: 548380009,
    name: "Juniper Coffee",
    email: "owner@juniper.example",
    domain: "juniper.example",
    currency: "AUD",
    iana_timezone: "Australia/Sydney",
    timezone: "(GMT+10:00) Australia/Sydney",
    money_format: "${{amount}}",
    shop_owner: "Jo Juniper",
    myshopify_domain: shop,
    ...over,
  };
}

beforeEach(async () => {
  shop = `shop-context-${++n}.myshopify.com`;
  resetAdminApi();
  await installShop(shop);
});

describe("shop/update", () => {
  test("a signed delivery through the real route stores the shop's currency, time zone and email", async () => {
    await prisma.shop.create({ data: { shop } });
    const at = "2026-11-30T09:00:00.000Z";
    const res = await post({ topic: "shop/update", shop, body: shopUpdateBody(), triggeredAt: at });
    expect(res.status).toBe(200);
    await drain();
    const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
    expect([row.currency, row.timezone, row.email, row.contextSyncedAt?.toISOString()]).toEqual(["AUD", "Australia/Sydney", "owner@juniper.example", at]);
    // Every weekly view and figure now reads the shop in its own terms.
    expect(await shopWeekContext(shop)).toEqual({ timeZone: "Australia/Sydney", currency: "AUD" });
  });

  test("a late delivery of an older change does not undo a newer one", async () => {
    await prisma.shop.create({ data: { shop } });
    await post({ topic: "shop/update", shop, body: shopUpdateBody({ currency: "EUR", iana_timezone: "Europe/Paris" }), triggeredAt: "2026-11-30T10:00:00Z" });
    await post({ topic: "shop/update", shop, body: shopUpdateBody(), triggeredAt: "2026-11-30T09:00:00Z" });
    await drain();
    const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
    expect([row.currency, row.timezone]).toEqual(["EUR", "Europe/Paris"]);
  });

  test("a body with a time zone that does not exist changes nothing and is kept as a failed delivery", async () => {
    await prisma.shop.create({ data: { shop } });
    await post({ topic: "shop/update", shop, body: shopUpdateBody({ iana_timezone: "Mars/Olympus" }) });
    await drain();
    const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
    expect([row.currency, row.timezone, row.contextSyncedAt]).toEqual(["USD", "UTC", null]);
    expect(await prisma.job.count({ where: { shop, queue: "webhook", status: "dead" } })).toBe(1);
  });
});

describe("install", () => {
  test("reads the shop's currency, time zone and email from the Admin API", async () => {
    mockAdminOperation("ShopContext", () => ({ shop: { currencyCode: "CAD", ianaTimezone: "America/Toronto", email: "founder@maple.example" } }));
    await onInstalled(shop, new Date());
    await drain();
    expect(adminCalls.filter((c) => c.operationName === "ShopContext").map((c) => c.shop)).toEqual([shop]);
    const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
    expect([row.currency, row.timezone, row.email]).toEqual(["CAD", "America/Toronto", "founder@maple.example"]);
    expect(row.contextSyncedAt).not.toBeNull();
  });

  test("is not held up when Shopify does not answer: the read is retried until it does", async () => {
    mockAdminOperation("ShopContext", () => ({ shop: { currencyCode: "GBP", ianaTimezone: "Europe/London", email: "hello@brew.example" } }));
    setAdminApiDown(true);
    let clock = new Date();
    await onInstalled(shop, clock);
    const worker = createWorkers({ now: () => clock }).shopify;
    await worker.drain();
    const installed = await prisma.shop.findUniqueOrThrow({ where: { shop } });
    expect([installed.uninstalledAt, installed.currency, installed.contextSyncedAt]).toEqual([null, "USD", null]);
    const job = await prisma.job.findFirstOrThrow({ where: { shop, queue: "shop_context" } });
    expect([job.status, job.attempts > 0]).toEqual(["pending", true]);

    setAdminApiDown(false);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    await worker.drain();
    const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
    expect([row.currency, row.timezone, row.email]).toEqual(["GBP", "Europe/London", "hello@brew.example"]);
  });

  test("a repeated token exchange for the same install reads once", async () => {
    const at = new Date();
    await onInstalled(shop, at);
    await onInstalled(shop, new Date(at.getTime() + 1000));
    expect(await prisma.job.count({ where: { shop, queue: "shop_context" } })).toBe(1);
  });
});
