import type Database from "better-sqlite3";
import { perConnection } from "../db-direct.server";
import { saveSourceContract } from "../models/contract.server";
import { findSubscriberId, recordCard, refreshRollup, resolveSourceSubscriber } from "../models/subscriber.server";
import { appendEventsDirect, markForRescoreDirect, relabelActivations, type NewTimelineEvent } from "../models/timeline.server";
import { STATUS_BY_EVENT, type TimelineEventData } from "../domain/timeline";
import { queueCustomerEnrichment } from "../intake/enrich-customer.server";
import { enqueueAgainDirect, enqueueManyDirect, type EnqueueInput } from "../queue/jobs.server";
import type { EnrichmentRequest, RecordOrigin, SourceDefinition } from "./definition";
import { SourcePayloadError, type SourceRecord } from "./types";

/**
 * Writes a source's records in the caller's transaction, as the Shopify path writes its
 * deliveries: the subscriber (by Shopify customer id, else email), the contract's view
 * moved forward only, the timeline events once each by their vendor keys (so duplicates,
 * redeliveries and an import that overlaps the webhooks add nothing), and the rollup and
 * rescore mark. A change of monthly value between two views is a `contract.edited`.
 * A record may ask for a later read of the vendor's API (an enrichment), queued with it.
 */
export function applySourceRecords(db: Database.Database, shop: string, source: SourceDefinition, records: SourceRecord[], now: Date, origin: RecordOrigin = "delivery"): void {
  for (const record of records) {
    const subscriberId = applyOne(db, shop, source, record, now);
    queueEnrichments(db, shop, source, subscriberId, source.connector?.enrichmentsFor?.(record, origin) ?? [], now);
  }
}

function applyOne(db: Database.Database, shop: string, source: SourceDefinition, record: SourceRecord, now: Date): string {
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
  return subscriberId;
}

// ---- Enrichment: later reads of the vendor's API that a record asked for

/** The job of one enrichment: one per source, kind and subject (e.g. one customer's card). */
export function enrichmentJobKey(shop: string, sourceId: string, kind: string, subject: string): string {
  return `source-${kind}:${shop}:${sourceId}:${subject}`;
}

/**
 * Queued with the records that asked for them, in their transaction: again on news, else once.
 * The job names the subscriber too, who keeps their id when a placeholder takes its Shopify id.
 */
function queueEnrichments(db: Database.Database, shop: string, source: SourceDefinition, subscriberId: string, requests: EnrichmentRequest[], now: Date): void {
  for (const r of requests) {
    const job: EnqueueInput = {
      queue: "source",
      key: enrichmentJobKey(shop, source.id, r.kind, r.subject),
      shop,
      payload: { ...r.payload, source: source.id, kind: r.kind, subscriberId },
      runAt: new Date(now.getTime() + (r.delayMs ?? 0)),
    };
    if (r.again) enqueueAgainDirect(db, job);
    else enqueueManyDirect(db, [job]);
  }
}

const enrichStatements = perConnection((db) => ({
  // The types are constants, not input: written into the SQL as literals.
  latestChange: db.prepare(
    `SELECT "id", "type", "occurredAt", "data" FROM "SubscriberEvent"
     WHERE "subscriberId" = ? AND "sourceKey" LIKE ? AND "type" IN ('payment_method.added', 'payment_method.updated', 'payment_method.revoked')
     ORDER BY "occurredAt" DESC LIMIT 1`,
  ),
  setData: db.prepare(`UPDATE "SubscriberEvent" SET "data" = ? WHERE "id" = ?`),
  held: db.prepare(`SELECT "id" FROM "Subscriber" WHERE "id" = ? AND "shop" = ?`),
}));

/**
 * Writes what an enrichment read, in the caller's transaction: the card, for now (records'
 * other facts and events are not read). It is the card behind the subscriber's latest
 * payment-method change from this source: dated by that change, and filling in that change's
 * event where the delivery carried no card, as Shopify's own payment-method webhooks carry it
 * (the score reads a card from those events). The event stands on its delivery: an enrichment
 * adds none. The subscriber is the one the record names, else the one the job was queued for;
 * one no longer held (erased since) is not brought back.
 */
export function applyEnrichedRecords(db: Database.Database, shop: string, source: SourceDefinition, records: SourceRecord[], queuedFor: string | null): void {
  for (const record of records) applyEnrichedRecord(db, shop, source, record, queuedFor);
}

function applyEnrichedRecord(db: Database.Database, shop: string, source: SourceDefinition, record: SourceRecord, queuedFor: string | null): void {
  const s = enrichStatements(db);
  const { shopifyCustomerId, email } = record.customer;
  const subscriberId = findSubscriberId(db, shop, shopifyCustomerId, email) ?? (queuedFor ? ((s.held.get(queuedFor, shop) as { id: string } | undefined)?.id ?? null) : null);
  if (!subscriberId || record.card === undefined) return;
  const change = s.latestChange.get(subscriberId, `${source.id}:%`) as { id: string; type: string; occurredAt: string; data: string } | undefined;
  const at = change ? new Date(change.occurredAt) : record.asOf;
  const card = record.card;
  if (change && card && change.type !== "payment_method.revoked") {
    const data = JSON.parse(change.data) as TimelineEventData;
    if (data.cardExpiryMonth == null || data.cardExpiryYear == null) {
      s.setData.run(JSON.stringify({ ...data, cardExpiryMonth: card.month, cardExpiryYear: card.year } satisfies TimelineEventData), change.id);
    }
  }
  recordCard(db, subscriberId, card, at);
  markForRescoreDirect(db, subscriberId, at);
}
