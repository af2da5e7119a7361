import type { TimelineEvent, TimelineEventData, TimelineEventType } from "../domain/timeline";
import prisma from "../db.server";

/** Several subscribers' timelines in one query, oldest first, optionally only up to `until`. */
export async function loadTimelines(shop: string, subscriberIds: string[], until?: Date): Promise<Map<string, TimelineEvent[]>> {
  // By subscriber id alone, so SQLite takes the per-subscriber index (with the shop in the
  // condition it read the shop's every event); the shop is checked on each row.
  const rows = await prisma.subscriberEvent.findMany({
    where: { subscriberId: { in: subscriberIds }, ...(until ? { occurredAt: { lte: until } } : {}) },
    orderBy: [{ subscriberId: "asc" }, { occurredAt: "asc" }],
    select: { shop: true, subscriberId: true, type: true, occurredAt: true, contractId: true, data: true },
  });
  const map = new Map<string, TimelineEvent[]>();
  for (const r of rows) {
    if (r.shop !== shop) continue;
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
