import type { Prisma } from "@prisma/client";
import type { TimelineEvent } from "../domain/timeline";
import type { HealthResult, SubscriberFacts } from "../health";
import type { SubscriberSnapshot } from "./types";

/** What the health stage hands the playbook after scoring one subscriber. */
export interface ScoredSubscriber {
  shop: string;
  subscriberId: string;
  timeline: TimelineEvent[];
  facts: SubscriberFacts;
  result: HealthResult;
  /** The snapshot stored with the previous score (null on the first score). */
  previous: SubscriberSnapshot | null;
  /** The score from the history about seven days before `now`, if any. */
  scoreSevenDaysAgo: number | null;
  now: Date;
}

/**
 * Called inside the rescore transaction. Evaluates the shop's triggers against the
 * change from `previous` to the new snapshot, records firings, and writes their plays
 * to the outbox and their tasks to the inbox, in the same transaction. Returns the new
 * snapshot, which the caller stores as the next `previous`.
 */
export async function onScored(_tx: Prisma.TransactionClient, input: ScoredSubscriber): Promise<SubscriberSnapshot> {
  throw new Error(`playbook engine not wired yet (${input.subscriberId})`);
}
