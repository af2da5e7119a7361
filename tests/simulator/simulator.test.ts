import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES as FIXTURES_DIR } from "../support/webhooks";
import { describe, expect, it } from "vitest";
import type { SubscriptionContractNode } from "../../app/graphql/SubscriptionContractFields";
import {
  answerAdminGraphql,
  buildStore,
  deliveriesFor,
  simulateSubscribers,
  type SimulatedStore,
  type SimulatedSubscriber,
} from "../../simulator";

const END = new Date("2025-06-01T00:00:00Z");
const MONTH = 30.4375 * 86_400_000;
// Shopify's documented samples, in shared/ beside the repository (as tests/support/webhooks.ts reads them).
const FIXTURES = FIXTURES_DIR;

// One store of ~3000 subscribers, shared by the statistical tests (it builds in well under a second).
let cached: SimulatedStore | null = null;
function store(): SimulatedStore {
  cached ??= buildStore({ seed: 42, subscribers: 3000, end: END });
  return cached;
}

/** Tenure month (1-based) of the subscriber's churn, from their first contract. */
function churnMonth(s: SimulatedSubscriber): number | null {
  if (!s.truth.cancelledAt) return null;
  return Math.floor((s.truth.cancelledAt.getTime() - s.contracts[0].createdAt.getTime()) / MONTH) + 1;
}

function monthsObserved(s: SimulatedSubscriber, end: Date): number {
  const until = s.truth.cancelledAt ?? end;
  return Math.floor((until.getTime() - s.contracts[0].createdAt.getTime()) / MONTH) + 1;
}

describe("simulator", () => {
  it("is deterministic: same seed, same deliveries; another seed, different ones", () => {
    const a = buildStore({ seed: 7, subscribers: 300, end: END });
    const b = buildStore({ seed: 7, subscribers: 300, end: END });
    const c = buildStore({ seed: 8, subscribers: 300, end: END });
    expect(JSON.stringify(b.deliveries)).toBe(JSON.stringify(a.deliveries));
    expect(b.truth).toEqual(a.truth);
    expect(JSON.stringify(c.deliveries)).not.toBe(JSON.stringify(a.deliveries));
  });

  it("churns in two waves by tenure: months 1-3 largest, a lull in 4-5, rising again after 6", () => {
    const { subscribers, end } = store();
    const churned = new Map<number, number>();
    const atRisk = new Map<number, number>();
    for (const s of subscribers) {
      for (let m = 1; m <= monthsObserved(s, end); m++) atRisk.set(m, (atRisk.get(m) ?? 0) + 1);
      const m = churnMonth(s);
      if (m != null) churned.set(m, (churned.get(m) ?? 0) + 1);
    }
    const sum = (map: Map<number, number>, from: number, to: number) => {
      let n = 0;
      for (let m = from; m <= to; m++) n += map.get(m) ?? 0;
      return n;
    };
    const hazard = (from: number, to: number) => sum(churned, from, to) / sum(atRisk, from, to);
    const early = sum(churned, 1, 3);
    expect(early).toBeGreaterThan(sum(churned, 4, 5));
    expect(early).toBeGreaterThan(sum(churned, 6, 13));
    expect(hazard(4, 5)).toBeLessThan(hazard(1, 3));
    expect(hazard(7, 13)).toBeGreaterThan(hazard(4, 5));
  });

  it("churns 35-50% of the first half's signups by the end", () => {
    const { subscribers, start, end } = store();
    const mid = (start.getTime() + end.getTime()) / 2;
    const cohort = subscribers.filter((s) => s.contracts[0].createdAt.getTime() < mid);
    const share = cohort.filter((s) => s.truth.cancelledAt).length / cohort.length;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.5);
  });

  it("subscribers with 2+ consecutive skips cancel more often than those without", () => {
    const streaks = (s: SimulatedSubscriber) =>
      s.contracts.some((c) => {
        const skipped = new Set<number>();
        for (const e of s.timeline) {
          if (e.contractId !== String(c.id)) continue;
          if (e.type === "cycle.skipped") skipped.add(e.data.cycleIndex!);
          if (e.type === "cycle.unskipped") skipped.delete(e.data.cycleIndex!);
        }
        return [...skipped].some((k) => skipped.has(k + 1));
      });
    const rate = (group: SimulatedSubscriber[]) => group.filter((s) => s.truth.cancelledAt).length / group.length;
    const { subscribers } = store();
    const skippers = subscribers.filter(streaks);
    const others = subscribers.filter((s) => !streaks(s));
    expect(skippers.length).toBeGreaterThan(50);
    // Predictive, not certain: some streak-skippers stay.
    expect(rate(skippers)).toBeGreaterThan(rate(others) * 1.3);
    expect(rate(skippers)).toBeLessThan(1);
  });

  it("soft declines recover (a later success on the contract) more often than hard declines", () => {
    const tally = { soft_decline: [0, 0], hard_decline: [0, 0] } as Record<string, [number, number]>;
    for (const s of store().subscribers) {
      s.timeline.forEach((e, i) => {
        const cls = e.data.failureClass;
        if (e.type !== "billing.failed" || (cls !== "soft_decline" && cls !== "hard_decline")) return;
        tally[cls][0]++;
        if (s.timeline.slice(i + 1).some((x) => x.contractId === e.contractId && x.type === "billing.succeeded")) tally[cls][1]++;
      });
    }
    const soft = tally.soft_decline[1] / tally.soft_decline[0];
    const hard = tally.hard_decline[1] / tally.hard_decline[0];
    expect(tally.hard_decline[0]).toBeGreaterThan(30);
    expect(soft).toBeGreaterThan(hard + 0.2);
  });

  it("sends payloads with Shopify's keys and value types for every topic", () => {
    const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));
    const variants = readdirSync(join(FIXTURES, "variants"));
    const load = (p: string) => JSON.parse(readFileSync(p, "utf8")) as Record<string, unknown>;
    const shape = (v: unknown): unknown =>
      v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as any)[k])])) : true;
    // Types seen per key path across the fixture and its variants.
    const types = (samples: Record<string, unknown>[]) => {
      const seen = new Map<string, Set<string>>();
      const walk = (v: unknown, path: string) => {
        const t = v === null ? "null" : typeof v;
        if (!seen.has(path)) seen.set(path, new Set());
        seen.get(path)!.add(t);
        if (t === "object") for (const [k, x] of Object.entries(v as object)) walk(x, `${path}.${k}`);
      };
      samples.forEach((s) => walk(s, ""));
      return seen;
    };
    // Shopify sends null for selling-plan limits that aren't set; its samples happen to set them.
    const nullable = new Set([".billing_policy.max_cycles", ".billing_policy.min_cycles"]);

    // Billing-attempt topics share one resource, so their samples pool (only the failure/success ones show numeric ids).
    const family = (base: string) => (base.startsWith("subscription_billing_attempts-") ? "subscription_billing_attempts-" : `${base}.`);
    const samplesFor = (base: string) => [
      ...fixtureFiles.filter((f) => f.startsWith(family(base)) || f === `${base}.json`).map((f) => load(join(FIXTURES, f))),
      ...variants.filter((v) => v.startsWith(family(base))).map((v) => load(join(FIXTURES, "variants", v))),
    ];

    // One representative per distinct (topic, shape, types), so the checks stay cheap on 30k+ deliveries.
    const distinct = new Map<string, { topic: string; payload: Record<string, unknown> }>();
    for (const d of store().deliveries) {
      const sig = `${d.topic}|${JSON.stringify(shape(d.payload))}|${[...types([d.payload])].map(([p, t]) => p + [...t]).join()}`;
      if (!distinct.has(sig)) distinct.set(sig, d);
    }
    const topics = new Set([...distinct.values()].map((d) => d.topic));
    expect(topics.size).toBe(15);
    for (const d of distinct.values()) {
      const base = d.topic.replace("/", "-");
      expect(fixtureFiles, d.topic).toContain(`${base}.json`);
      expect(shape(d.payload), d.topic).toEqual(shape(load(join(FIXTURES, `${base}.json`))));
      const allowed = types(samplesFor(base));
      for (const [path, ts] of types([d.payload])) {
        for (const t of ts) {
          if (t === "null" && nullable.has(path)) continue;
          expect(allowed.get(path), `${d.topic} ${path} ${t}`).toContain(t);
        }
      }
    }
  });

  it("increases revision_id with each contract webhook of a contract", () => {
    const last = new Map<unknown, bigint>();
    for (const sub of store().subscribers.slice(0, 500)) {
      for (const d of deliveriesFor(sub, { end: END })) {
        if (!d.topic.startsWith("subscription_contracts/")) continue;
        const rev = BigInt(d.payload.revision_id as string);
        const prev = last.get(d.payload.id);
        if (prev != null) expect(rev).toBeGreaterThan(prev);
        last.set(d.payload.id, rev);
      }
    }
    expect(last.size).toBeGreaterThan(400);
  });

  it("re-sends duplicates with the same ids, delivers some late and out of order, in a stable send order", () => {
    const s = store();
    const byId = new Map<string, typeof s.deliveries>();
    for (const d of s.deliveries) byId.set(d.webhookId, [...(byId.get(d.webhookId) ?? []), d]);
    const dups = [...byId.values()].filter((ds) => ds.length > 1);
    expect(dups.length).toBeGreaterThan(50);
    for (const [a, b] of dups) {
      expect(b.eventId).toBe(a.eventId);
      expect(b.payload).toEqual(a.payload);
    }

    let outOfOrder = 0;
    let maxTriggered = "";
    for (let i = 0; i < s.deliveries.length; i++) {
      const d = s.deliveries[i];
      if (i > 0) expect(d.sendAt >= s.deliveries[i - 1].sendAt).toBe(true);
      expect(d.sendAt >= d.triggeredAt).toBe(true);
      if (d.triggeredAt < maxTriggered) outOfOrder++;
      if (d.triggeredAt > maxTriggered) maxTriggered = d.triggeredAt;
    }
    expect(outOfOrder).toBeGreaterThan(50);

    const again = buildStore({ seed: 42, subscribers: 3000, end: END });
    expect(again.deliveries.map((d) => d.webhookId)).toEqual(s.deliveries.map((d) => d.webhookId));
  });

  it("derives a chronological timeline that matches the webhooks sent", () => {
    for (const sub of store().subscribers.slice(0, 300)) {
      const times = sub.timeline.map((e) => e.occurredAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const deliveries = deliveriesFor(sub, { end: END });
      const count = (t: string) => deliveries.filter((d) => d.topic === t).length;
      const events = (t: string) => sub.timeline.filter((e) => e.type === t).length;
      expect(events("billing.failed")).toBe(count("subscription_billing_attempts/failure"));
      expect(events("cycle.skipped")).toBe(count("subscription_billing_cycles/skip"));
      expect(events("contract.cancelled")).toBe(count("subscription_contracts/cancel"));
      expect(events("ticket.opened")).toBe(sub.tickets.length);
    }
  });

  describe("answerAdminGraphql", () => {
    const details = (id: string, asOf: Date) => {
      const res = answerAdminGraphql(store(), "SubscriptionContractDetails", { id }, asOf);
      if (!("data" in res)) throw new Error(JSON.stringify(res));
      return (res.data as { subscriptionContract: SubscriptionContractNode | null }).subscriptionContract;
    };

    it("answers a contract as of a time: prices before and after an edit differ", () => {
      const sub = store().subscribers.find((s) => s.timeline.some((e) => e.type === "contract.edited"))!;
      const edit = sub.timeline.find((e) => e.type === "contract.edited")!;
      const gid = `gid://shopify/SubscriptionContract/${edit.contractId}`;
      const lineValue = (n: SubscriptionContractNode) =>
        n.lines.nodes.reduce((sum, l) => sum + Number(l.currentPrice.amount) * l.quantity, 0);
      const before = details(gid, new Date(edit.occurredAt.getTime() - 1000))!;
      const after = details(gid, new Date(edit.occurredAt.getTime() + 1000))!;
      expect(before.lines.nodes).not.toEqual(after.lines.nodes);
      expect(Math.sign(lineValue(after) - lineValue(before))).toBe(Math.sign(edit.data.toMonthlyValue! - edit.data.fromMonthlyValue!));
      expect(after.customer?.email).toBe(sub.email);
    });

    it("reflects status and card over time, and null for unknown or not-yet-created contracts", () => {
      const sub = store().subscribers.find((s) => s.contracts[0].status === "cancelled")!;
      const c = sub.contracts[0];
      const gid = `gid://shopify/SubscriptionContract/${c.id}`;
      expect(details(gid, new Date(c.createdAt.getTime() + 1000))!.status).toBe("ACTIVE");
      expect(details(gid, new Date(c.createdAt.getTime() + 1000))!.customerPaymentMethod?.instrument).toMatchObject({ __typename: "CustomerCreditCard" });
      expect(details(gid, END)!.status).toBe("CANCELLED");
      expect(details(gid, new Date(c.createdAt.getTime() - 1000))).toBeNull();
      expect(details("gid://shopify/SubscriptionContract/1", END)).toBeNull();
      expect("errors" in answerAdminGraphql(store(), "NoSuchOperation", {}, END)).toBe(true);
    });

    it("backfill pages over every contract created before asOf exactly once, oldest first", () => {
      const s = store();
      const asOf = new Date((s.start.getTime() + s.end.getTime()) / 2);
      const seen: string[] = [];
      const created: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 1000; page++) {
        const res = answerAdminGraphql(s, "SubscriptionContractsBackfill", { first: 250, after }, asOf);
        if (!("data" in res)) throw new Error(JSON.stringify(res));
        const conn = (res.data as { subscriptionContracts: { nodes: SubscriptionContractNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }).subscriptionContracts;
        for (const n of conn.nodes) {
          seen.push(n.id);
          created.push(n.createdAt);
        }
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      const expected = s.contracts.filter((e) => e.contract.createdAt <= asOf).map((e) => `gid://shopify/SubscriptionContract/${e.contract.id}`);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...expected].sort());
      expect(created).toEqual([...created].sort());
    });
  });

  it("streams 20,000 subscribers without materialising the store", () => {
    let n = 0;
    let churned = 0;
    for (const s of simulateSubscribers({ seed: 3, subscribers: 20_000, end: END })) {
      n++;
      if (s.truth.cancelledAt) churned++;
    }
    expect(n).toBe(20_000);
    expect(churned / n).toBeGreaterThan(0.2);
  });
});
