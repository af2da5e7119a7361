// The same simulated store, told three ways: through Shopify's own subscription webhooks
// (contracts Lifeline owns), through Shopify Flow alone, and through Recharge alone. A
// merchant must see the same Monday list whichever way their events reach Lifeline.
import { beforeAll, describe, expect, it } from "vitest";
import { buildStore, type SimulatedStore } from "../../simulator/index";
import { installShop } from "../support/shop";
import { mockAdminOperation } from "../support/admin-api";
import { answerAdminGraphql } from "../../simulator/index";
import { runFlowPath, runShopifyPath } from "./support/store-runs";
import { atRiskEntries, bandsByCustomer, customersWithEdits, historyLines, type ListEntry } from "./support/compare";

const SEED = 5;
const SUBSCRIBERS = 400;
const MONTHS = 8;
const today = new Date();
const END = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
const SHOPIFY = "same-list-shopify.myshopify.com";
const FLOW = "same-list-flow.myshopify.com";

const storeFor = (shop: string): SimulatedStore => buildStore({ seed: SEED, subscribers: SUBSCRIBERS, months: MONTHS, end: END, shopDomain: shop });

let shopifyList: ListEntry[];
let flowList: ListEntry[];

beforeAll(async () => {
  const shopifyStore = storeFor(SHOPIFY);
  const flowStore = storeFor(FLOW);
  await installShop(SHOPIFY);
  await installShop(FLOW);
  // Flow names only the customer: Shopify's customer record gives the name, as for a real store.
  mockAdminOperation("CustomerIdentity", (vars) => (answerAdminGraphql(flowStore, "CustomerIdentity", vars, END) as { data?: unknown }).data);
  expect((await runShopifyPath(shopifyStore, SHOPIFY)).every((s) => s === 200)).toBe(true);
  expect((await runFlowPath(flowStore)).every((s) => s === 200)).toBe(true);
  const now = new Date();
  shopifyList = await atRiskEntries(SHOPIFY, now);
  flowList = await atRiskEntries(FLOW, now);
}, 600_000);

describe(`one store of ${SUBSCRIBERS} subscribers over ${MONTHS} months`, () => {
  it("has subscribers on this week's at-risk list (the comparison is not of two empty lists)", () => {
    expect(shopifyList.length).toBeGreaterThan(0);
  });

  it("shows the same at-risk list through Flow alone as through Shopify's webhooks", () => {
    expect(flowList).toEqual(shopifyList);
  });

  it("scores every subscriber the same through Flow alone", async () => {
    expect(await bandsByCustomer(FLOW)).toEqual(await bandsByCustomer(SHOPIFY));
  });

  it("keeps the same history through Flow alone for every subscriber whose plan was never edited", async () => {
    // Shopify's webhooks carry no prices: the Shopify path learns an edit from the Admin API when
    // its enrichment runs, dated by the contract's updatedAt then, and sees an edit undone within
    // the same catch-up as no edit at all. A Flow run carries the edit itself. So only
    // subscribers without edits are held to the same history, weekly snapshot by band change.
    const edited = new Set([...(await customersWithEdits(SHOPIFY)), ...(await customersWithEdits(FLOW))]);
    const unedited = (lines: string[]) => lines.filter((l) => !edited.has(l.split(" ")[0]));
    const expected = unedited(await historyLines(SHOPIFY));
    expect(SUBSCRIBERS - edited.size).toBeGreaterThan(SUBSCRIBERS * 0.7);
    expect(expected.length).toBeGreaterThan((SUBSCRIBERS - edited.size) * 4);
    expect(unedited(await historyLines(FLOW))).toEqual(expected);
  });
});
