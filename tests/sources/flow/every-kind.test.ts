// Every event kind the Flow action takes lands as the timeline event the Shopify path
// writes for the same thing, with the same data.
import { beforeAll, describe, expect, test } from "vitest";
import { drain, prisma } from "../../support/app";
import { installShop } from "../../support/shop";
import { mockAdminOperation, resetAdminApi } from "../../support/admin-api";
import { FLOW_KIND_NAMES, type FlowEventKind } from "~/sources/flow/kinds";
import { run, send } from "./support";

const SHOP = "flow-kinds.myshopify.com";
const T0 = "2026-03-01T10:00:00.000Z";
const T1 = "2026-04-01T10:00:00.000Z";
const T2 = "2026-05-01T10:00:00.000Z";

beforeAll(async () => {
  resetAdminApi();
  mockAdminOperation("CustomerIdentity", () => ({ customer: null }));
  await installShop(SHOP);
});

interface Case {
  /** Runs before the one under test, on the same contract. */
  before?: Record<string, string>[];
  properties: Record<string, string>;
  timeline: { type: string; data?: Record<string, unknown>; contract?: boolean }[];
}

const created = { event: "created", occurred_at: T0, amount: "45.00", currency: "USD", billing_interval: "MONTH", billing_interval_count: "1" };

const CASES: Record<FlowEventKind, Case> = {
  created: { properties: created, timeline: [{ type: "contract.created" }] },
  activated: { before: [created], properties: { event: "activated", occurred_at: T1 }, timeline: [{ type: "contract.created" }, { type: "contract.activated" }] },
  resumed: {
    before: [created, { event: "paused", occurred_at: T1 }],
    properties: { event: "resumed", occurred_at: T2 },
    timeline: [{ type: "contract.created" }, { type: "contract.paused" }, { type: "contract.resumed" }],
  },
  paused: { before: [created], properties: { event: "paused", occurred_at: T1 }, timeline: [{ type: "contract.created" }, { type: "contract.paused" }] },
  cancelled: { before: [created], properties: { event: "cancelled", occurred_at: T1, reason: "Too much coffee" }, timeline: [{ type: "contract.created" }, { type: "contract.cancelled", data: { cancelReason: "Too much coffee" } }] },
  expired: { before: [created], properties: { event: "expired", occurred_at: T1 }, timeline: [{ type: "contract.created" }, { type: "contract.expired" }] },
  retries_exhausted: { before: [created], properties: { event: "retries_exhausted", occurred_at: T1 }, timeline: [{ type: "contract.created" }, { type: "contract.failed" }] },
  skipped: { properties: { event: "skipped", occurred_at: T1, cycle_index: "3" }, timeline: [{ type: "cycle.skipped", data: { cycleIndex: 3 } }] },
  unskipped: { properties: { event: "unskipped", occurred_at: T1, cycle_index: "3" }, timeline: [{ type: "cycle.unskipped", data: { cycleIndex: 3 } }] },
  billing_succeeded: { properties: { event: "billing_succeeded", occurred_at: T1, amount: "51.20" }, timeline: [{ type: "billing.succeeded" }] },
  billing_failed: {
    properties: { event: "billing_failed", occurred_at: T1, error_code: "insufficient_funds", reason: "Your card has insufficient funds." },
    timeline: [{ type: "billing.failed", data: { errorCode: "INSUFFICIENT_FUNDS", failureClass: "soft_decline", errorMessage: "Your card has insufficient funds." } }],
  },
  billing_challenged: { properties: { event: "billing_challenged", occurred_at: T1 }, timeline: [{ type: "billing.challenged" }] },
  payment_method_added: {
    properties: { event: "payment_method_added", occurred_at: T1, card_expiry_month: "4", card_expiry_year: "2027" },
    timeline: [{ type: "payment_method.added", data: { cardExpiryMonth: 4, cardExpiryYear: 2027 }, contract: false }],
  },
  payment_method_updated: {
    properties: { event: "payment_method_updated", occurred_at: T1, card_expiry_month: "11", card_expiry_year: "28" },
    timeline: [{ type: "payment_method.updated", data: { cardExpiryMonth: 11, cardExpiryYear: 2028 }, contract: false }],
  },
  payment_method_revoked: { properties: { event: "payment_method_revoked", occurred_at: T1 }, timeline: [{ type: "payment_method.revoked", contract: false }] },
  // No event of its own: the card's expiry is what the score reads.
  payment_method_expiring: { properties: { event: "payment_method_expiring", occurred_at: T1, card_expiry_month: "5", card_expiry_year: "2026" }, timeline: [] },
  edited: {
    before: [created],
    properties: { event: "edited", occurred_at: T1, amount: "30.00", billing_interval: "WEEK", billing_interval_count: "2" },
    timeline: [{ type: "contract.created" }, { type: "contract.edited", data: { fromMonthlyValue: 45, toMonthlyValue: 65 } }],
  },
};

test("the cases below cover every kind the action declares", () => {
  expect(Object.keys(CASES).sort()).toEqual([...FLOW_KIND_NAMES].sort());
});

describe("each kind, sent through /api/flow/record-event", () => {
  let n = 0;
  for (const [kind, c] of Object.entries(CASES)) {
    test(`${kind} lands as ${c.timeline.map((e) => e.type).join(", ") || "no event"}`, async () => {
      const customer = String(9100 + ++n);
      const contract = String(77_000 + n);
      for (const p of [...(c.before ?? []), c.properties]) {
        const response = await send(run(SHOP, { customer_id: customer, contract_id: `gid://shopify/SubscriptionContract/${contract}`, ...p }));
        expect(response.status).toBe(200);
      }
      await drain();
      const events = await prisma.subscriberEvent.findMany({ where: { shop: SHOP, subscriber: { customerId: customer } }, orderBy: { occurredAt: "asc" } });
      expect(events.map((e) => ({ type: e.type, data: JSON.parse(e.data), contract: e.contractId !== null }))).toEqual(
        c.timeline.map((e) => ({ type: e.type, data: e.data ?? {}, contract: e.contract ?? true })),
      );
      for (const e of events.filter((x) => x.contractId !== null)) expect(e.contractId).toBe(contract);
    });
  }
});

test("the contract's status follows the kinds, and its value is the amount per month at its interval", async () => {
  const contract = await prisma.contract.findFirstOrThrow({ where: { shop: SHOP, contractId: String(77_000 + Object.keys(CASES).indexOf("retries_exhausted") + 1) } });
  expect(contract.status).toBe("failed");
  const edited = await prisma.contract.findFirstOrThrow({ where: { shop: SHOP, contractId: String(77_000 + Object.keys(CASES).indexOf("edited") + 1) } });
  // 30 every 2 weeks: 30 x 52 / 12 / 2.
  expect([edited.status, edited.monthlyValue, edited.billingInterval, edited.billingIntervalCount, edited.currency]).toEqual(["active", 65, "WEEK", 2, "USD"]);
});

test("a payment method's expiry, and an expiring card, are the card on file", async () => {
  const expiring = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, customerId: String(9100 + Object.keys(CASES).indexOf("payment_method_expiring") + 1) } });
  expect([expiring.cardExpiryMonth, expiring.cardExpiryYear]).toEqual([5, 2026]);
  const revoked = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, customerId: String(9100 + Object.keys(CASES).indexOf("payment_method_revoked") + 1) } });
  expect([revoked.cardExpiryMonth, revoked.cardExpiryYear]).toEqual([null, null]);
});

test("a run that names the contract's start gives the subscriber's tenure, and a created run is its own start", async () => {
  await send(run(SHOP, { customer_id: "9190", contract_id: "77190", event: "billing_succeeded", occurred_at: T2, contract_created_at: "2024-11-05T12:00:00Z" }));
  await send(run(SHOP, { customer_id: "9191", contract_id: "77191", ...created }));
  await drain();
  const [old, fresh] = await Promise.all(["9190", "9191"].map((c) => prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, customerId: c } })));
  expect(old.firstSubscribedAt?.toISOString()).toBe("2024-11-05T12:00:00.000Z");
  expect(fresh.firstSubscribedAt?.toISOString()).toBe(T0);
});
