/**
 * When each ended subscriber cancelled and the reason they gave: the latest end on their
 * timeline (cancelled, ended at its term, or stopped after failed payments), else the time
 * their last contract ended. Read for a page of subscribers
 * by SubscriberEvent(subscriberId, occurredAt), never across the store.
 */
import prisma from "../../db.server";

const ENDINGS = { "contract.cancelled": "cancelled", "contract.expired": "expired", "contract.failed": "failed" } as const;

export interface Cancellation {
  /** How it ended: they cancelled, the subscription reached its end, or it stopped after failed payments. */
  how: (typeof ENDINGS)[keyof typeof ENDINGS];
  /** ISO instant; null when neither the timeline nor the contracts say. */
  at: string | null;
  /** The subscriber's words (or the subscription app's), when it says. */
  reason: string | null;
}

function reasonOf(data: string): string | null {
  try {
    const value = (JSON.parse(data) as { cancelReason?: unknown }).cancelReason;
    return typeof value === "string" && value.trim() ? value.trim() : null;
  } catch {
    return null;
  }
}

/** Cancellations of the given subscribers (all of this shop's, read by the caller). */
export async function cancellationsOf(
  ids: readonly string[],
  contracts: readonly { subscriberId: string; status: string; statusAt: Date | null }[],
): Promise<Map<string, Cancellation>> {
  const found = new Map<string, Cancellation>();
  if (ids.length === 0) return found;
  const events = await prisma.subscriberEvent.findMany({
    where: { subscriberId: { in: [...ids] }, type: { in: Object.keys(ENDINGS) } },
    orderBy: { occurredAt: "desc" },
    select: { subscriberId: true, type: true, occurredAt: true, data: true },
  });
  for (const e of events) {
    if (found.has(e.subscriberId)) continue;
    found.set(e.subscriberId, { how: ENDINGS[e.type as keyof typeof ENDINGS], at: e.occurredAt.toISOString(), reason: reasonOf(e.data) });
  }
  for (const id of ids) {
    if (found.has(id)) continue;
    const ended = contracts
      .filter((c) => c.subscriberId === id && c.statusAt && c.status !== "active" && c.status !== "paused")
      .map((c) => c.statusAt!.getTime());
    found.set(id, { how: "cancelled", at: ended.length ? new Date(Math.max(...ended)).toISOString() : null, reason: null });
  }
  return found;
}
