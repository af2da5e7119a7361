import prisma from "../../db.server";
import { fetchContract } from "../../shopify/admin-api.server";
import { contractEventType, isNewerState, statusFromPayload, type ContractTopicKind } from "../../domain/contract-state";
import { findContract, saveContractNode } from "../../models/contract.server";
import { ensureSubscriber, refreshRollup } from "../../models/subscriber.server";
import { appendEvents, previousStatusEvent, relabelActivations, type NewTimelineEvent } from "../../models/timeline.server";
import { contractPayload } from "../payloads";
import { parsePayload, type DeliveryContext } from "../context";

/**
 * subscription_contracts/*: moves the contract's state forward (never back: a late
 * delivery only adds its event at its true time) and records the timeline event.
 * Create and update fetch lines and prices from the Admin API: the payload has none.
 */
export async function handleContract(ctx: DeliveryContext, kind: ContractTopicKind): Promise<void> {
  const p = parsePayload(contractPayload, ctx);
  const known = await findContract(prisma, ctx.shop, p.id);
  const needsFacts = kind === "create" || kind === "update" || !known?.enrichedAt;
  // Outside the transaction: a slow Admin API call must not hold the database.
  const node = needsFacts ? await fetchContract(ctx.shop, p.id) : null;

  await prisma.$transaction(async (tx) => {
    let subscriberId: string;
    let previousValue = known?.monthlyValue ?? null;
    if (node) {
      const saved = await saveContractNode(tx, ctx.shop, node, ctx.now);
      subscriberId = saved.subscriberId;
      previousValue = saved.previousValue;
    } else {
      subscriberId = await ensureSubscriber(tx, ctx.shop, p.customer_id);
    }

    const current = await findContract(tx, ctx.shop, p.id);
    const incoming = { revision: p.revision_id, at: ctx.occurredAt };
    const status = statusFromPayload(p.status);
    if (!current) {
      await tx.contract.create({
        data: { shop: ctx.shop, contractId: p.id, subscriberId, status, statusRevision: incoming.revision, statusAt: incoming.at, currency: p.currency_code ?? null },
      });
    } else if (isNewerState({ revision: current.statusRevision, at: current.statusAt }, incoming)) {
      await tx.contract.update({
        where: { id: current.id },
        data: { status, statusRevision: incoming.revision, statusAt: incoming.at },
      });
    }

    const after = await findContract(tx, ctx.shop, p.id);
    const previous = kind === "activate" ? await previousStatusEvent(tx, subscriberId, p.id, ctx.occurredAt) : null;
    const type = contractEventType(kind, previous, { from: previousValue, to: after?.monthlyValue ?? null });
    if (type) {
      const event: NewTimelineEvent = {
        type,
        occurredAt: ctx.occurredAt,
        contractId: p.id,
        // One creation per contract, whether it arrives by webhook or by backfill. The key
        // names the topic, not the type: a relabelled activation keeps its key.
        sourceKey: type === "contract.created" ? `contract:${p.id}:created` : `${ctx.deliveryKey}:${kind}`,
        data: type === "contract.edited" ? { fromMonthlyValue: previousValue!, toMonthlyValue: after!.monthlyValue! } : {},
      };
      await appendEvents(tx, ctx.shop, subscriberId, [event]);
      if (type !== "contract.edited") await relabelActivations(tx, subscriberId, p.id);
    }
    await refreshRollup(tx, subscriberId);
  });
}
