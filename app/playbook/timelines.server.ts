import type { TimelineEvent, TimelineEventData, TimelineEventType } from "../domain/timeline";
import prisma from "../db.server";

/** Several subscribers' timelines in one query, oldest first, optionally only up to `until`. */
export async function loadTimelines(shop: string, subscriberIds: string[], until?: Date): Promise<Map<string, TimelineEvent[]>> {
  const rows = await prisma.subscriberEvent.findMany({
    where: { shop, subscriberId: { in: subscriberIds }, ...(until ? { occurredAt: { lte: until } } : {}) },
    orderBy: { occurredAt: "asc" },
    select: { subscriberId: true, type: true, occurredAt: true, contractId: true, data: true },
  });
  const map = new Map<string, TimelineEvent[]>();
  for (const r of rows) {
    const list = map.get(r.subscriberId) ?? [];
    list.push({
      type: r.type as TimelineEventType,
      occurredAt: r.occurredAt,
      contractId: r.contractId,
      data: JSON.parse(r.data) as TimelineEventData,
    });
    map.set(r.subscriberId, list);
  }
  return map;
}
