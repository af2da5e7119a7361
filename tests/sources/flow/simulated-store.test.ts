// A small simulated store whose events reach Lifeline only through Shopify Flow: every
// fact as the action request a workflow would send, posted in Flow's order. After the
// drain each subscriber's timeline is the one the simulator says the Shopify path
// derives (SimulatedSubscriber.timeline), event for event.
import { beforeAll, describe, expect, it } from "vitest";
import { buildStore, type SimulatedStore } from "../../../simulator";
import { flowActionRequestsFor } from "../../../simulator/flow";
import { answerAdminGraphql } from "../../../simulator/admin-graphql";
import { drain, prisma } from "../../support/app";
import { installShop } from "../../support/shop";
import { mockAdminOperation, resetAdminApi } from "../../support/admin-api";
import type { TimelineEvent } from "~/domain/timeline";
import { send } from "./support";

const SHOP = "flow-only-store.myshopify.com";
const END = new Date("2026-06-01T00:00:00Z");
let store: SimulatedStore;
let sent = 0;

beforeAll(async () => {
  // This seed and size hold every kind of event the Shopify path derives (resumes, revoked cards, challenges, ...).
  store = buildStore({ seed: 13, subscribers: 80, months: 9, end: END, shopDomain: SHOP });
  resetAdminApi();
  // Shopify's customer record, as the simulated store holds it.
  mockAdminOperation("CustomerIdentity", (vars) => (answerAdminGraphql(store, "CustomerIdentity", vars, END) as { data: unknown }).data);
  await installShop(SHOP);
  const requests = flowActionRequestsFor(store);
  for (const r of requests) {
    const response = await send(r.body);
    if (response.status !== 200) throw new Error(`run ${r.body.action_run_id} answered ${response.status}`);
    sent++;
  }
  await drain();
}, 120_000);

/** What a timeline says, comparable across the two paths (values to the cent). */
function shape(e: Pick<TimelineEvent, "type" | "occurredAt" | "contractId" | "data">) {
  const data = { ...e.data };
  // The Shopify path keeps no card on a removal; the simulator's expectation names the removed card.
  if (e.type === "payment_method.revoked") {
    delete data.cardExpiryMonth;
    delete data.cardExpiryYear;
  }
  for (const k of ["fromMonthlyValue", "toMonthlyValue"] as const) if (data[k] !== undefined) data[k] = Math.round(data[k]! * 100) / 100;
  return { type: e.type, at: e.occurredAt.toISOString(), contractId: e.contractId, data };
}

describe("a store reporting through Flow alone", () => {
  it("sent a run for every fact but helpdesk tickets, each answered 200", () => {
    const facts = store.subscribers.reduce((sum, s) => sum + s.facts.filter((f) => f.kind !== "ticket").length, 0);
    expect(sent).toBe(facts);
    expect(sent).toBeGreaterThan(700);
  });

  it("leaves nothing dead-lettered", async () => {
    expect(await prisma.job.findMany({ where: { shop: SHOP, status: "dead" }, select: { key: true, lastError: true } })).toEqual([]);
  });

  it("builds each subscriber's timeline as the Shopify path would", async () => {
    let compared = 0;
    const types = new Set<string>();
    for (const sub of store.subscribers) {
      const row = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, customerId: String(sub.customerId) } });
      const events = await prisma.subscriberEvent.findMany({ where: { subscriberId: row.id }, orderBy: [{ occurredAt: "asc" }, { type: "asc" }] });
      const got = events.map((e) => shape({ type: e.type as TimelineEvent["type"], occurredAt: e.occurredAt, contractId: e.contractId, data: JSON.parse(e.data) }));
      const want = sub.timeline
        .filter((e) => e.type !== "ticket.opened")
        .map(shape)
        .sort((a, b) => a.at.localeCompare(b.at) || a.type.localeCompare(b.type));
      expect(got, `customer ${sub.customerId}`).toEqual(want);
      compared += want.length;
      for (const e of want) types.add(e.type);
    }
    expect(compared).toBeGreaterThan(700);
    const derived = ["contract.created", "contract.paused", "contract.resumed", "contract.cancelled", "contract.expired", "contract.failed", "contract.edited"];
    const more = ["cycle.skipped", "cycle.unskipped", "billing.succeeded", "billing.failed", "billing.challenged", "payment_method.added", "payment_method.updated", "payment_method.revoked"];
    expect([...types].sort()).toEqual([...derived, ...more].sort());
  });

  it("ends each contract in the simulator's status, and each subscriber with Shopify's name and email", async () => {
    for (const sub of store.subscribers) {
      for (const c of sub.contracts) {
        const contract = await prisma.contract.findFirstOrThrow({ where: { shop: SHOP, contractId: String(c.id) } });
        expect(contract.status, `contract ${c.id}`).toBe(c.status);
      }
      const row = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP, customerId: String(sub.customerId) } });
      expect([row.email, row.firstName, row.lastName]).toEqual([sub.email, sub.firstName, sub.lastName]);
    }
  });
});
