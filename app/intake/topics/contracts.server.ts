import prisma from "../../db.server";
import { contractEventType, isNewerState, statusFromPayload, type ContractTopicKind } from "../../domain/contract-state";
import { attachHeldEvents, factsFromPayload, findContract } from "../../models/contract.server";
import { ensureSubscriber, refreshRollup } from "../../models/subscriber.server";
import { appendEvents, previousStatusEvent, relabelActivations, type NewTimelineEvent } from "../../models/timeline.server";
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
  await prisma.$transaction(async (tx) => {
    const known = await findContract(tx, ctx.shop, p.id);
    const subscriberId = await ensureSubscriber(tx, ctx.shop, p.customer_id);
    const incoming = { revision: p.revision_id, at: ctx.occurredAt };
    const status = statusFromPayload(p.status);
    if (!known) {
      await tx.contract.create({
        data: { shop: ctx.shop, contractId: p.id, subscriberId, status, statusRevision: incoming.revision, statusAt: incoming.at, ...factsFromPayload(p) },
      });
    } else if (isNewerState({ revision: known.statusRevision, at: known.statusAt }, incoming)) {
      await tx.contract.update({
        where: { id: known.id },
        data: { status, statusRevision: incoming.revision, statusAt: incoming.at, ...factsFromPayload(p) },
      });
    }
    // Billing and cycle events that came before any word of whose contract this is.
    await attachHeldEvents(tx, ctx.shop, p.id, subscriberId);

    const previous = kind === "activate" ? await previousStatusEvent(tx, subscriberId, p.id, ctx.occurredAt) : null;
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
      await appendEvents(tx, ctx.shop, subscriberId, [event]);
      await relabelActivations(tx, subscriberId, p.id);
    }
    await refreshRollup(tx, subscriberId);

    const changed = kind === "create" || kind === "update";
    if (changed || !known?.enrichedAt) await queueEnrichment(tx, ctx.shop, p.id, ctx.now, changed);
  });
}
