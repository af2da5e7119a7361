// The settings page's Helpdesk card: the signing secret is handed out once, by the action
// that creates or rotates it, and the page's data never carries it afterwards.
import { createHmac } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import prisma from "~/db.server";
import * as route from "~/routes/app.settings";
import * as intake from "~/routes/api.helpdesk.$shop.tickets";
import { adminRequest, callRoute } from "../support/admin";
import { installShop } from "../support/shop";

const SHOP = "helpdesk-settings.myshopify.com";
const ENDPOINT = `${process.env.SHOPIFY_APP_URL}/api/helpdesk/${SHOP}/tickets`;

const page = async () => callRoute(route.loader, adminRequest(SHOP, "/app/settings"));
const issue = () => callRoute(route.action, adminRequest(SHOP, "/app/settings", { form: { intent: "helpdesk-secret" } }));

/** Whether the intake takes a ticket signed with this secret. */
async function accepts(secret: string): Promise<boolean> {
  const raw = JSON.stringify({ id: `probe-${secret.slice(0, 8)}`, created_at: new Date().toISOString(), customer: {} });
  const signature = `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
  const request = new Request(ENDPOINT, { method: "POST", body: raw, headers: { "X-Lifeline-Signature": signature } });
  const response = await intake.action({ request, params: { shop: SHOP }, context: {} });
  return response.status === 200;
}

beforeAll(() => installShop(SHOP));

it("shows the helpdesk as not connected before a secret exists", async () => {
  const { status, body } = await page();
  expect(status).toBe(200);
  expect(body.helpdesk).toMatchObject({ connected: false, connectedAt: null, endpoint: ENDPOINT });
});

it("returns the secret once on create, stores it only encrypted, and never shows it in the page's data", async () => {
  const created = await issue();
  expect(created.status).toBe(200);
  const secret: string = created.body.helpdesk.secret;
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  expect(created.body.helpdesk.endpoint).toBe(ENDPOINT);

  const row = await prisma.helpdeskConnection.findUniqueOrThrow({ where: { shop: SHOP } });
  expect(row.encryptedSecret).not.toContain(secret);

  const after = await page();
  expect(after.body.helpdesk.connected).toBe(true);
  expect(after.body.helpdesk.connectedAt).not.toBeNull();
  expect(JSON.stringify(after.body)).not.toContain(secret);
  expect(await accepts(secret)).toBe(true);
});

it("rotating gives a new secret, and the old one stops working", async () => {
  const first: string = (await issue()).body.helpdesk.secret;
  const rotated = await issue();
  const second: string = rotated.body.helpdesk.secret;
  expect(second).not.toBe(first);
  expect(rotated.body.message).toMatch(/old one no longer works/);
  expect(await accepts(first)).toBe(false);
  expect(await accepts(second)).toBe(true);
  const after = await page();
  expect(after.body.helpdesk.rotatedAt).not.toBeNull();
  expect(JSON.stringify(after.body)).not.toContain(second);
});
