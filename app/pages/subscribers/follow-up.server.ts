/** What the subscriber page's follow-up card shows: when they were last contacted, and their open tasks. */
import prisma from "../../db.server";

export interface FollowUp {
  contactedAt: string | null;
  openTasks: number;
  /** Snoozed until, when every open task is snoozed into the future. */
  snoozedUntil: string | null;
}

export async function followUpOf(shop: string, subscriberId: string, now = new Date()): Promise<FollowUp | null> {
  const [subscriber, tasks] = await Promise.all([
    prisma.subscriber.findFirst({ where: { id: subscriberId, shop }, select: { contactedAt: true } }),
    prisma.task.findMany({ where: { shop, subscriberId, status: { in: ["open", "snoozed"] } }, select: { status: true, snoozedUntil: true } }),
  ]);
  if (!subscriber) return null;
  const snoozed = tasks.length > 0 && tasks.every((t) => t.status === "snoozed" && t.snoozedUntil && t.snoozedUntil > now);
  const until = snoozed ? new Date(Math.min(...tasks.map((t) => t.snoozedUntil!.getTime()))) : null;
  return { contactedAt: subscriber.contactedAt?.toISOString() ?? null, openTasks: tasks.length, snoozedUntil: until?.toISOString() ?? null };
}
