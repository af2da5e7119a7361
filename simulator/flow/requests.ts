/**
 * What Shopify Flow would post to Lifeline's action if the store had a workflow for
 * every event kind: one request per fact, shaped exactly as Flow's action requests
 * (shop_id, shopify_domain, action_run_id, action_definition_id, handle, properties),
 * with each field's value as Flow renders it (text). The properties are what the
 * templates map from Shopify's subscription objects, so the timelines Lifeline builds
 * from them can be held against the Shopify path's.
 */
import { FLOW_ACTION_HANDLE, type FlowEventKind, type FlowFieldKey } from "../../app/sources/flow/kinds";
import { nextCycleAfter } from "../admin-graphql";
import { SECOND, resolveOptions } from "../options";
import { Rng, mixSeed } from "../random";
import type { SimulatedStore } from "../store";
import type { SimFact, SimLine, SimulatedContract, SimulatedSubscriber, SimulatorInput } from "../types";

const FLOW_SALT = 0xf10;
const STEP_SALT = 0x57e9;

/** The action's title: what Flow sends as action_definition_id. */
export const FLOW_ACTION_TITLE = "Record subscription event in Lifeline";

export interface FlowActionBody {
  shop_id: string;
  shopify_domain: string;
  action_run_id: string;
  action_definition_id: string;
  handle: string;
  properties: Partial<Record<FlowFieldKey | "customer_id" | "step_reference", string>>;
}

export interface FlowActionRequest {
  /** When Flow sends it: seconds after the event. */
  at: string;
  body: FlowActionBody;
}

const CONTRACT_KIND: Record<string, FlowEventKind> = {
  create: "created",
  // Appstle's "Subscription Activated" fires from paused or cancelled: the timeline makes it a resume.
  activate: "activated",
  pause: "paused",
  cancel: "cancelled",
  fail: "retries_exhausted",
  expire: "expired",
};
const STATUS: Record<string, string> = { create: "ACTIVE", activate: "ACTIVE", pause: "PAUSED", cancel: "CANCELLED", fail: "FAILED", expire: "EXPIRED" };
const BILLING_KIND: Record<string, FlowEventKind> = { success: "billing_succeeded", failure: "billing_failed", challenged: "billing_challenged" };
const CARD_KIND: Record<string, FlowEventKind> = { create: "payment_method_added", update: "payment_method_updated", revoke: "payment_method_revoked" };

/** Every subscriber's requests, in the order Flow sends them. */
export function flowActionRequestsFor(store: SimulatedStore): FlowActionRequest[] {
  const all = store.subscribers.flatMap((sub) => flowRequestsForSubscriber(sub, store.options));
  // Stable: a subscriber's own requests keep their order when two share a second.
  return all.map((r, i) => ({ r, i })).sort((a, b) => Date.parse(a.r.at) - Date.parse(b.r.at) || a.i - b.i).map((x) => x.r);
}

/** One subscriber's requests, chronological. Tickets are the helpdesk's, not Flow's. */
export function flowRequestsForSubscriber(sub: SimulatedSubscriber, input: SimulatorInput): FlowActionRequest[] {
  const opts = resolveOptions(input);
  const rng = new Rng(mixSeed(opts.seed, sub.index, FLOW_SALT));
  const lines = sub.contracts.map((c) => c.lines);
  const status = sub.contracts.map(() => "ACTIVE");
  const out: FlowActionRequest[] = [];
  for (const f of sub.facts) {
    if (f.kind === "edit") lines[f.contract] = f.lines;
    if (f.kind === "contract") status[f.contract] = STATUS[f.topic];
    if (f.kind === "edit") status[f.contract] = f.status.toUpperCase();
    const run = propertiesFor(sub, f, lines, status);
    if (!run) continue;
    out.push({
      at: new Date(f.at + Math.round(rng.uniform(0.3, 8) * SECOND)).toISOString(),
      body: {
        shop_id: shopIdOf(opts.shopDomain),
        shopify_domain: opts.shopDomain,
        action_run_id: rng.uuid(),
        action_definition_id: FLOW_ACTION_TITLE,
        handle: FLOW_ACTION_HANDLE,
        properties: { customer_id: String(sub.customerId), ...run.properties, step_reference: stepReference(opts.seed, run.kind) },
      },
    });
  }
  return out;
}

function propertiesFor(sub: SimulatedSubscriber, f: SimFact, lines: SimLine[][], status: string[]): { kind: FlowEventKind; properties: FlowActionBody["properties"] } | null {
  const occurred_at = new Date(f.at).toISOString();
  switch (f.kind) {
    case "contract":
    case "edit": {
      const kind = f.kind === "edit" ? "edited" : CONTRACT_KIND[f.topic];
      return { kind, properties: { event: kind, ...contractFields(sub.contracts[f.contract], f.at, status[f.contract], lines[f.contract]), occurred_at } };
    }
    case "cycle": {
      const kind = f.topic === "skip" ? "skipped" : "unskipped";
      const c = sub.contracts[f.contract];
      return { kind, properties: { event: kind, contract_id: contractGid(c), occurred_at, cycle_index: String(f.cycleIndex) } };
    }
    case "billing": {
      const kind = BILLING_KIND[f.topic];
      const c = sub.contracts[f.contract];
      const properties: FlowActionBody["properties"] = { event: kind, contract_id: contractGid(c), occurred_at, status: status[f.contract] };
      if (f.topic === "failure") {
        // As the billing attempt carries them: possibly lower-case, unknown or empty.
        if (f.errorCode != null) properties.error_code = f.errorCode;
        if (f.errorMessage != null) properties.reason = f.errorMessage;
      }
      if (f.topic === "success" && isLive(status[f.contract])) properties.next_billing_date = new Date(nextCycleAfter(c, f.at)).toISOString();
      return { kind, properties };
    }
    case "payment_method": {
      const kind = CARD_KIND[f.topic];
      // The action asks for a contract: the subscriber's latest by then, as a contract trigger would give.
      const c = [...sub.contracts].reverse().find((k) => k.createdAt.getTime() <= f.at) ?? sub.contracts[0];
      const properties: FlowActionBody["properties"] = { event: kind, contract_id: contractGid(c), occurred_at };
      if (f.topic !== "revoke") {
        properties.card_expiry_month = String(f.card.month);
        properties.card_expiry_year = String(f.card.year);
      }
      return { kind, properties };
    }
    case "ticket":
      return null;
  }
}

/** The contract as the templates map it: its price per delivery (lines x quantity), rhythm, currency, next billing. */
function contractFields(c: SimulatedContract, at: number, status: string, lines: SimLine[]): FlowActionBody["properties"] {
  const amount = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  return {
    contract_id: contractGid(c),
    status,
    amount: amount.toFixed(2),
    currency: c.currency,
    billing_interval: c.interval === "week" ? "WEEK" : "MONTH",
    billing_interval_count: String(c.intervalCount),
    contract_created_at: c.createdAt.toISOString(),
    ...(isLive(status) ? { next_billing_date: new Date(nextCycleAfter(c, at)).toISOString() } : {}),
  };
}

const isLive = (status: string) => status === "ACTIVE" || status === "PAUSED";

const contractGid = (c: SimulatedContract) => `gid://shopify/SubscriptionContract/${c.id}`;

/** Flow's numeric shop id, stable per shop domain. */
function shopIdOf(domain: string): string {
  let h = 0;
  for (const ch of domain) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return String(60_000_000_000 + (h % 1_000_000_000));
}

/** A workflow's action step keeps its id across runs: one per kind here, one workflow per kind. */
function stepReference(seed: number, kind: FlowEventKind): string {
  let h = 0;
  for (const ch of kind) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return new Rng(mixSeed(seed, STEP_SALT, h)).uuid();
}
