/**
 * The plays outbox: a firing's Klaviyo plays are written as PlayDelivery rows, each
 * with its delivery job, in the caller's transaction. The plays worker sends them
 * later; a rollback leaves neither row nor job, a commit leaves both.
 */
import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { writePlayDelivery } from "../models/plays.server";
import { enqueue, enqueueAgain, notifyWorkers } from "../queue/jobs.server";
import { buildEventProperties, buildProfileProperties, firingUniqueId } from "../playbook/metrics";
import type { Firing, SubscriberSnapshot } from "../playbook/types";

export interface OutboxInput {
  shop: string;
  firingId: string;
  firing: Firing;
  snapshot: SubscriberSnapshot;
  now: Date;
}

/** Queues the firing's Klaviyo plays; returns the PlayDelivery ids. Task plays are not handled here. */
export async function queueKlaviyoPlays(tx: Prisma.TransactionClient, input: OutboxInput): Promise<string[]> {
  const { shop, firingId, firing, snapshot, now } = input;
  const ids: string[] = [];
  for (const play of firing.plays) {
    // Holdout firings carry only runInHoldout plays already; checked again because a
    // treatment reaching a holdout subscriber would bias every lift figure.
    if (firing.holdout && !play.runInHoldout) continue;
    let row: { id: string } | null = null;
    if (play.kind === "klaviyo_event") {
      const built = buildEventProperties(snapshot, firing, firing.reasons);
      row = await writePlayDelivery(tx, {
        shop,
        firingId,
        kind: "klaviyo_event",
        metric: play.metric,
        uniqueId: built.uniqueId,
        payload: { metric: play.metric, properties: built.properties, time: built.time.toISOString() },
      });
    } else if (play.kind === "klaviyo_profile") {
      row = await writePlayDelivery(tx, {
        shop,
        firingId,
        kind: "klaviyo_profile",
        metric: null,
        uniqueId: `${firingUniqueId(firing)}:profile`,
        payload: { properties: buildProfileProperties(snapshot) },
      });
    }
    if (!row) continue;
    await enqueue(tx, { queue: "play", key: row.id, shop, runAt: now });
    ids.push(row.id);
  }
  return ids;
}

export type RetryPlayResult = { ok: true } | { ok: false; error: string };

/**
 * Sends a failed play again (after the merchant fixed the key, or the profile). The
 * unique_id is unchanged, so if Klaviyo did get it the first time nobody gets two emails.
 */
export async function retryPlay(shop: string, playId: string, now = new Date()): Promise<RetryPlayResult> {
  const play = await prisma.playDelivery.findFirst({ where: { id: playId, shop }, select: { id: true, status: true } });
  if (!play) return { ok: false, error: "Play not found." };
  if (play.status === "sent") return { ok: false, error: "This play was already delivered." };
  await prisma.$transaction(async (tx) => {
    await tx.playDelivery.update({ where: { id: play.id }, data: { status: "pending", lastError: null } });
    await enqueueAgain(tx, { queue: "play", key: play.id, shop, runAt: now });
  });
  notifyWorkers("play");
  return { ok: true };
}
