/**
 * The whole store: every subscriber, streamed or materialised, and the webhook
 * deliveries in the order Shopify sends them (a few twice, a few late).
 */
import { deliveriesFor } from "./deliveries";
import { HOUR, MINUTE, SECOND, resolveOptions, type SimContext } from "./options";
import { Rng, mixSeed } from "./random";
import { simulateSubscriber } from "./subscriber-history";
import type { SimulatedContract, SimulatedDelivery, SimulatedSubscriber, SimulatorInput } from "./types";

const STORE_SALT = 0x5707e;

/** Subscribers one at a time; nothing is retained, so memory stays flat however many there are. */
export function* simulateSubscribers(input: SimulatorInput): Generator<SimulatedSubscriber> {
  const ctx = resolveOptions(input);
  for (let i = 0; i < ctx.subscribers; i++) yield simulateSubscriber(i, ctx);
}

export interface SimulatedStore {
  options: SimContext;
  start: Date;
  end: Date;
  subscribers: SimulatedSubscriber[];
  /** In send order, duplicates and late ones included. */
  deliveries: SimulatedDelivery[];
  truth: { customerId: number; cancelledAt: Date | null; cause: SimulatedSubscriber["truth"]["cause"]; contractId: string | null }[];
  /** Every contract with its subscriber, oldest first (the Admin API's CREATED_AT order). */
  contracts: { contract: SimulatedContract; subscriber: SimulatedSubscriber }[];
  contractsById: Map<number, { contract: SimulatedContract; subscriber: SimulatedSubscriber }>;
}

export function buildStore(input: SimulatorInput): SimulatedStore {
  const ctx = resolveOptions(input);
  const rng = new Rng(mixSeed(ctx.seed, STORE_SALT));
  const subscribers: SimulatedSubscriber[] = [];
  const sends: { ms: number; seq: number; d: SimulatedDelivery }[] = [];
  let seq = 0;

  for (const sub of simulateSubscribers(ctx)) {
    subscribers.push(sub);
    for (const d of deliveriesFor(sub, ctx)) {
      let ms = Date.parse(d.sendAt);
      // Late: held back minutes to hours, so it lands after later events.
      if (rng.chance(ctx.lateRate)) ms = Date.parse(d.triggeredAt) + rng.uniform(5 * MINUTE, 6 * HOUR);
      const first = ms === Date.parse(d.sendAt) ? d : { ...d, sendAt: new Date(ms).toISOString() };
      sends.push({ ms, seq: seq++, d: first });
      // Duplicate: Shopify retries the same webhook (same ids) when it thinks delivery failed.
      if (rng.chance(ctx.duplicateRate)) {
        const again = ms + rng.uniform(5 * SECOND, 2 * HOUR);
        sends.push({ ms: again, seq: seq++, d: { ...first, sendAt: new Date(again).toISOString() } });
      }
    }
  }
  sends.sort((a, b) => a.ms - b.ms || a.seq - b.seq);

  const contracts = subscribers.flatMap((subscriber) => subscriber.contracts.map((contract) => ({ contract, subscriber })));
  contracts.sort((a, b) => a.contract.createdAt.getTime() - b.contract.createdAt.getTime() || a.contract.id - b.contract.id);

  return {
    options: ctx,
    start: new Date(ctx.startMs),
    end: new Date(ctx.endMs),
    subscribers,
    deliveries: sends.map((s) => s.d),
    truth: subscribers.map((s) => ({ customerId: s.customerId, ...s.truth })),
    contracts,
    contractsById: new Map(contracts.map((e) => [e.contract.id, e])),
  };
}
