import { writeTransaction } from "../../db-direct.server";
import { contractEventType, isNewerState, statusFromPayload, type ContractTopicKind } from "../../domain/contract-state";
import { attachHeldEvents, createContract, factsFromPayload, findContract, moveContractState } from "../../models/contract.server";
import { ensureSubscriber, refreshRollup } from "../../models/subscriber.server";
import { appendEventsDirect, previousStatusEvent, relabelActivations, type NewTimelineEvent } from "../../models/timeline.server";
import { queueEnrichment } from "../enrich.server";
import { contractPayload } from "../payloads";
import { parsePayload, type DeliveryContext } from "../context";

/**
 * subscription_contracts/*: moves the contract's state forward (never back: a late
 * delivery only adds its event at its true time) and records the timeline event, from
 * what the delivery carries alone. Lines, prices and the customer's identity come from
 * the Admin API in the contract's enrichment job, queued here and never waited for.
 */
export async function handleContract(ctx: DeliveryContext, kind: ContractTopicKind): Promise<void> {
  const p = parsePayload(contractPayload, ctx);
  await writeTransaction((db) => {
    const known = findContract(db, ctx.shop, p.id);
    const subscriberId = ensureSubscriber(db, ctx.shop, p.customer_id);
    const incoming = { status: statusFromPayload(p.status), revision: p.revision_id, at: ctx.occurredAt };
    if (!known) {
      createContract(db, ctx.shop, p.id, subscriberId, incoming, factsFromPayload(p));
    } else if (isNewerState({ revision: known.statusRevision, at: known.statusAt }, incoming)) {
      moveContractState(db, known.id, incoming, factsFromPayload(p));
    }
    // Billing and cycle events that came before any word of whose contract this is.
    attachHeldEvents(db, ctx.shop, p.id, subscriberId);

    const previous = kind === "activate" ? previousStatusEvent(db, subscriberId, p.id, ctx.occurredAt) : null;
    // The payload has no prices: an update's value change is seen by enrichment, which writes the edit.
    const value = known?.monthlyValue ?? null;
    const type = contractEventType(kind, previous, { from: value, to: value });
    if (type) {
      const event: NewTimelineEvent = {
        type,
        occurredAt: ctx.occurredAt,
        contractId: p.id,
        // One creation per contract, whether it arrives by webhook or by backfill. The key
        // names the topic, not the type: a relabelled activation keeps its key.
        sourceKey: type === "contract.created" ? `contract:${p.id}:created` : `${ctx.deliveryKey}:${kind}`,
      };
      appendEventsDirect(db, ctx.shop, subscriberId, [event]);
      relabelActivations(db, subscriberId, p.id);
    }
    refreshRollup(db, subscriberId);

    const changed = kind === "create" || kind === "update";
    if (changed || !known?.enrichedAt) queueEnrichment(db, ctx.shop, p.id, ctx.now, changed);
  });
}
