/**
 * Answers the app's Admin GraphQL operations from the simulated store, as of a given
 * moment, in exactly the SubscriptionContractFields shape.
 */
import type { SubscriptionContractNode } from "../app/graphql/SubscriptionContractFields";
import { isoSeconds } from "./options";
import type { SimulatedStore } from "./store";
import { cycleDate } from "./subscriber-history";
import type { SimCard, SimLine, SimulatedContract, SimulatedSubscriber } from "./types";

type Result = { data: unknown } | { errors: { message: string }[] };

const STATUS: Record<string, SubscriptionContractNode["status"]> = {
  create: "ACTIVE",
  activate: "ACTIVE",
  pause: "PAUSED",
  cancel: "CANCELLED",
  fail: "FAILED",
  expire: "EXPIRED",
};

/** Shopify caps connection pages at 250. */
const MAX_PAGE = 250;

/** The simulated store's currency, time zone and owner email (Shop.currencyCode, ianaTimezone, email). */
export const DEMO_SHOP_CONTEXT = { currencyCode: "USD", ianaTimezone: "UTC", email: "owner@lifeline-demo.example" };

export function answerAdminGraphql(store: SimulatedStore, operationName: string, variables: Record<string, unknown>, asOf: Date): Result {
  const t = asOf.getTime();
  if (Number.isNaN(t)) return { errors: [{ message: "asOf must be a valid date" }] };
  switch (operationName) {
    case "SubscriptionContractDetails":
      return contractDetails(store, variables, t);
    case "SubscriptionContractsBackfill":
      return backfill(store, variables, t);
    case "CustomerIdentity":
      return customerIdentity(store, variables, t);
    case "ShopContext":
      // The demo store's own terms, as Shopify's Shop object gives them.
      return { data: { shop: DEMO_SHOP_CONTEXT } };
    case "FlowTriggerReceive":
      // The store has no Flow workflows: Shopify accepts the trigger and runs nothing.
      return { data: { flowTriggerReceive: { userErrors: [] } } };
    default:
      return { errors: [{ message: `Unknown operation: ${operationName}` }] };
  }
}

function contractDetails(store: SimulatedStore, variables: Record<string, unknown>, t: number): Result {
  const id = variables.id;
  const match = typeof id === "string" ? /^gid:\/\/shopify\/SubscriptionContract\/(\d+)$/.exec(id) : null;
  if (!match) return { errors: [{ message: `Invalid global id '${String(id)}'` }] };
  const entry = store.contractsById.get(Number(match[1]));
  // A contract that doesn't exist yet at asOf is as unknown as one that never will.
  const node = entry && entry.contract.createdAt.getTime() <= t ? contractAsOf(entry.subscriber, entry.contract, t) : null;
  return { data: { subscriptionContract: node } };
}

// A lookup table derived from the store, made once per store: a cache, not state.
const customersOf = new WeakMap<SimulatedStore, Map<number, SimulatedSubscriber>>();

function customerIdentity(store: SimulatedStore, variables: Record<string, unknown>, t: number): Result {
  const id = variables.id;
  const match = typeof id === "string" ? /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(id) : null;
  if (!match) return { errors: [{ message: `Invalid global id '${String(id)}'` }] };
  let byId = customersOf.get(store);
  if (!byId) {
    byId = new Map(store.subscribers.map((s) => [s.customerId, s]));
    customersOf.set(store, byId);
  }
  const sub = byId.get(Number(match[1]));
  // The customer exists from their first subscription's order on.
  const exists = sub && sub.contracts.length > 0 && sub.contracts[0].createdAt.getTime() <= t;
  return {
    data: {
      customer: exists
        ? {
            id,
            firstName: sub.firstName,
            lastName: sub.lastName,
            displayName: `${sub.firstName} ${sub.lastName}`,
            defaultEmailAddress: { emailAddress: sub.email },
          }
        : null,
    },
  };
}

/** Cursors are opaque to callers; inside they carry the last node's sort key. */
function encodeCursor(c: SimulatedContract): string {
  return btoa(`${c.createdAt.getTime()}:${c.id}`);
}

function decodeCursor(cursor: string): [number, number] | null {
  try {
    const m = /^(\d+):(\d+)$/.exec(atob(cursor));
    return m ? [Number(m[1]), Number(m[2])] : null;
  } catch {
    return null;
  }
}

function backfill(store: SimulatedStore, variables: Record<string, unknown>, t: number): Result {
  const first = variables.first;
  if (typeof first !== "number" || !Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    return { errors: [{ message: `first must be an integer between 1 and ${MAX_PAGE}` }] };
  }
  let from = 0;
  if (variables.after != null) {
    const key = typeof variables.after === "string" ? decodeCursor(variables.after) : null;
    if (!key) return { errors: [{ message: "Invalid cursor" }] };
    // First contract sorting after the cursor's (createdAt, id).
    let lo = 0;
    let hi = store.contracts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = store.contracts[mid].contract;
      const ct = c.createdAt.getTime();
      if (ct < key[0] || (ct === key[0] && c.id <= key[1])) lo = mid + 1;
      else hi = mid;
    }
    from = lo;
  }
  const nodes: SubscriptionContractNode[] = [];
  let i = from;
  for (; i < store.contracts.length && nodes.length < first; i++) {
    const { contract, subscriber } = store.contracts[i];
    if (contract.createdAt.getTime() > t) break; // sorted by creation: nothing later exists yet
    nodes.push(contractAsOf(subscriber, contract, t));
  }
  const last = nodes.length ? store.contracts[i - 1].contract : null;
  const hasNextPage = i < store.contracts.length && store.contracts[i].contract.createdAt.getTime() <= t;
  return {
    data: {
      subscriptionContracts: { nodes, pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last) : null } },
    },
  };
}

/** Replays the contract's facts up to t: status, lines after edits, the card on file. */
export function contractAsOf(sub: SimulatedSubscriber, contract: SimulatedContract, t: number): SubscriptionContractNode {
  const c = sub.contracts.indexOf(contract);
  let status: SubscriptionContractNode["status"] = "ACTIVE";
  let lines: SimLine[] = contract.lines;
  let updatedAt = contract.createdAt.getTime();
  let card: SimCard | null = null;
  for (const f of sub.facts) {
    if (f.at > t) break;
    if (f.kind === "payment_method") {
      if (f.topic === "revoke") {
        if (card?.token === f.card.token) card = null;
      } else card = f.card;
      continue;
    }
    if (f.contract !== c) continue;
    if (f.kind === "contract") {
      status = STATUS[f.topic];
      updatedAt = f.at;
    } else if (f.kind === "edit") {
      lines = f.lines;
      updatedAt = f.at;
    } else if (f.kind === "billing" && f.topic === "success") {
      updatedAt = f.at; // a renewal moves nextBillingDate
    }
  }
  const live = status === "ACTIVE" || status === "PAUSED";
  const interval = contract.interval === "week" ? "WEEK" : "MONTH";
  return {
    id: `gid://shopify/SubscriptionContract/${contract.id}`,
    status,
    createdAt: isoSeconds(contract.createdAt.getTime()),
    updatedAt: isoSeconds(updatedAt),
    nextBillingDate: live ? isoSeconds(nextCycleAfter(contract, t)) : null,
    currencyCode: contract.currency,
    customer: {
      id: `gid://shopify/Customer/${sub.customerId}`,
      email: sub.email,
      firstName: sub.firstName,
      lastName: sub.lastName,
      displayName: `${sub.firstName} ${sub.lastName}`,
    },
    billingPolicy: { interval, intervalCount: contract.intervalCount },
    deliveryPolicy: { interval, intervalCount: contract.intervalCount },
    lines: {
      nodes: lines.map((l) => ({
        id: l.id,
        title: l.title,
        variantTitle: l.variantTitle,
        quantity: l.quantity,
        currentPrice: { amount: l.price.toFixed(2), currencyCode: contract.currency },
      })),
    },
    customerPaymentMethod: card
      ? {
          id: `gid://shopify/CustomerPaymentMethod/${card.token}`,
          instrument: { __typename: "CustomerCreditCard", brand: card.brand, lastDigits: card.lastDigits, expiryMonth: card.month, expiryYear: card.year },
        }
      : null,
  };
}

export function nextCycleAfter(contract: SimulatedContract, t: number): number {
  const t0 = contract.createdAt.getTime();
  // Estimate the cycle from elapsed time, then step to the exact one (calendar months vary).
  const approx = contract.interval === "week" ? (t - t0) / (contract.intervalCount * 7 * 86_400_000) : (t - t0) / (contract.intervalCount * 30.4375 * 86_400_000);
  let k = Math.max(1, Math.floor(approx) - 1);
  while (cycleDate(contract, k) <= t) k++;
  while (k > 1 && cycleDate(contract, k - 1) > t) k--;
  return cycleDate(contract, k);
}
