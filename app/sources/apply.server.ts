import type Database from "better-sqlite3";
import { saveSourceContract } from "../models/contract.server";
import { recordCard, refreshRollup, resolveSourceSubscriber } from "../models/subscriber.server";
import { appendEventsDirect, relabelActivations, type NewTimelineEvent } from "../models/timeline.server";
import { STATUS_BY_EVENT } from "../domain/timeline";
import { queueCustomerEnrichment } from "../intake/enrich-customer.server";
import type { SourceDefinition } from "./definition";
import { SourcePayloadError, type SourceRecord } from "./types";

/**
 * Writes a source's records in the caller's transaction, as the Shopify path writes its
 * deliveries: the subscriber (by Shopify customer id, else email), the contract's view
 * moved forward only, the timeline events once each by their vendor keys (so duplicates,
 * redeliveries and an import that overlaps the webhooks add nothing), and the rollup and
 * rescore mark. A change of monthly value between two views is a `contract.edited`.
 */
export function applySourceRecords(db: Database.Database, shop: string, source: SourceDefinition, records: SourceRecord[], now: Date): void {
  for (const record of records) applyOne(db, shop, source, record, now);
}

function applyOne(db: Database.Database, shop: string, source: SourceDefinition, record: SourceRecord, now: Date): void {
  const subscriberId = resolveSourceSubscriber(db, shop, source.id, record.customer);
  if (!subscriberId) throw new SourcePayloadError("the payload names no customer: no Shopify customer id, email or customer id");
  const contractId = record.contractId === null ? null : source.contractKey(record.contractId);
  const events: NewTimelineEvent[] = record.events.map((e) => ({
    type: e.type,
    occurredAt: e.occurredAt,
    contractId,
    data: e.data,
    sourceKey: `${source.id}:${e.key}`,
  }));
  if (contractId !== null) {
    const saved = saveSourceContract(db, shop, contractId, subscriberId, record.contract ?? {}, record.asOf, now);
    const { previousValue: from, value: to } = saved;
    if (saved.applied && !saved.created && from != null && to != null && Math.abs(from - to) >= 0.005) {
      events.push({
        type: "contract.edited",
        occurredAt: record.asOf,
        contractId,
        data: { fromMonthlyValue: from, toMonthlyValue: to },
        sourceKey: `${source.id}:contract:${record.contractId}:edited:${record.asOf.toISOString()}`,
      });
    }
  }
  appendEventsDirect(db, shop, subscriberId, events);
  if (contractId !== null && events.some((e) => STATUS_BY_EVENT[e.type])) relabelActivations(db, subscriberId, contractId);
  if (record.card !== undefined) recordCard(db, subscriberId, record.card, record.asOf);
  refreshRollup(db, subscriberId);
  // Names and email from Shopify's customer record, when the payload named only the id.
  queueCustomerEnrichment(db, shop, subscriberId, record.customer.shopifyCustomerId, now);
}

