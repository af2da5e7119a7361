// The data behind the health block on Shopify's customer page: app/routes/api.customer-health.$customerId.tsx.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader } from "~/routes/api.customer-health.$customerId";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";

const SHOP = "customer-block.myshopify.com";
const OTHER = "other-block.myshopify.com";
const ADMIN_ORIGIN = "https://admin.shopify.com";

beforeAll(async () => {
  await seededShop(SHOP, { subscribers: 120, seed: 5 });
  await seededShop(OTHER, { subscribers: 20, seed: 3 });
}, 60_000);

/** The block's fetch: from the admin's origin, with the admin's ID token. */
function blockRequest(shop: string, customerId: string, init: { unauthenticated?: boolean } = {}): Request {
  const request = adminRequest(shop, `/api/customer-health/${customerId}`, init);
  request.headers.set("Origin", ADMIN_ORIGIN);
  return request;
}

const get = (shop: string, customerId: string) => callRoute(loader, blockRequest(shop, customerId), { customerId });

async function readJson(response: Response | undefined) {
  expect(response).toBeDefined();
  return JSON.parse(await response!.text());
}

describe("the customer page block's data", () => {
  it("gives a scored subscriber's score, band, top three reasons and page in the app", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({
      where: { shop: SHOP, health: { band: { in: ["at_risk", "critical"] } } },
      include: { health: true },
    });
    const { status, response } = await get(SHOP, s.customerId);
    expect(status).toBe(200);
    const body = await readJson(response);
    expect(body).toMatchObject({ score: s.health!.score, band: s.health!.band, subscriberPath: `/app/subscribers/${s.id}` });
    expect(body.reasons.length).toBeGreaterThan(0);
    expect(body.reasons.length).toBeLessThanOrEqual(3);
    expect(body.reasons.some((r: { effect: string }) => r.effect === "risk")).toBe(true);
    for (const r of body.reasons) expect(r.text).toMatch(/\S/);
  });

  it("sends nothing personal: no email, no name", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, email: { not: null }, health: { isNot: null } } });
    const { response } = await get(SHOP, s.customerId);
    const text = await response!.text();
    expect(text).not.toContain(s.email!);
    expect(text).not.toContain("@");
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(["band", "bandSince", "reasons", "score", "scoredAt", "subscriberPath", "thisWeek"]);
  });

  it("answers the admin's origin with CORS headers, and its preflight without a token", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, health: { isNot: null } } });
    const { response } = await get(SHOP, s.customerId);
    expect(response!.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response!.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);

    const preflight = new Request(new URL(`/api/customer-health/${s.customerId}`, process.env.SHOPIFY_APP_URL), {
      method: "OPTIONS",
      headers: { Origin: ADMIN_ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    const answered = await callRoute(loader, preflight, { customerId: s.customerId });
    expect(answered.status).toBe(204);
    expect(answered.response!.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("is 404 for a customer who never subscribed, another shop's subscriber, or an id that is not Shopify's", async () => {
    // The simulator numbers both stores' customers alike: give the other store one of its own.
    const theirs = await prisma.subscriber.update({
      where: { id: (await prisma.subscriber.findFirstOrThrow({ where: { shop: OTHER, health: { isNot: null } } })).id },
      data: { customerId: "8800000000001" },
    });
    expect((await get(OTHER, theirs.customerId)).status).toBe(200);

    for (const customerId of ["999999999999", theirs.customerId, "gid:shopify", "12abc"]) {
      const { status, response } = await get(SHOP, customerId);
      expect(status, customerId).toBe(404);
      expect(response!.headers.get("Access-Control-Allow-Origin"), customerId).toBe("*");
    }
  });

  it("is 404 for a subscriber erased at the customer's request", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, health: { isNot: null } }, orderBy: { id: "desc" } });
    await prisma.subscriber.update({ where: { id: s.id }, data: { redactedAt: new Date() } });
    expect((await get(SHOP, s.customerId)).status).toBe(404);
  });

  it("refuses a request without the admin's ID token", async () => {
    const s = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP } });
    const { status } = await callRoute(loader, blockRequest(SHOP, s.customerId, { unauthenticated: true }), { customerId: s.customerId });
    expect([302, 401]).toContain(status);
  });
});
