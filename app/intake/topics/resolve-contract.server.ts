import type Database from "better-sqlite3";
import { holdEvents, subscriberIdOfContract } from "../../models/contract.server";
import { appendEventsDirect, type NewTimelineEvent } from "../../models/timeline.server";
import { queueEnrichment } from "../enrich.server";

/**
 * Records a contract's events on its subscriber's timeline, in the caller's transaction.
 * Billing and cycle webhooks name only the contract: when it is not known yet (it can
 * arrive before its create webhook, or predate the install), the events are held and
 * the contract's enrichment is queued to learn whose it is; they join the timeline as
 * soon as either a contract webhook or the Admin API says. Nothing here waits for the
 * Admin API.
 */
export function recordContractEvents(db: Database.Database, shop: string, contractId: string, events: NewTimelineEvent[], now: Date): void {
  const subscriberId = subscriberIdOfContract(db, shop, contractId);
  if (subscriberId) return appendEventsDirect(db, shop, subscriberId, events);
  holdEvents(db, shop, contractId, events);
  queueEnrichment(db, shop, contractId, now, false);
}
