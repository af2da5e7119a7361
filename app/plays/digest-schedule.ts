/**
 * When a shop's weekly digest is due: once a week, from the chosen weekday and hour (08:00 by default) in
 * the shop's time zone until the week ends (a worker that was down on Monday morning
 * still sends it on Tuesday). Whether it was already sent this week is not decided
 * here: the job's unique key (digest:<shop>:<week>) makes a second queueing a no-op.
 */
import { currentWeek, startOfLocalDay } from "../health/weeks.server";
import { digestUniqueId } from "../playbook/metrics";

/** ISO weekday (1 = Monday), as ShopSettings.digestWeekday stores it. */
export const DIGEST_DEFAULT_WEEKDAY = 1;
/** The default hour: the start of a working day (Settings can change it). */
export const DIGEST_HOUR = 8;

export interface DigestScheduleInput {
  shop: string;
  now: Date;
  timeZone: string;
  enabled: boolean;
  /** Where it goes; null when neither a digest address nor the owner's email is known. */
  recipient: string | null;
  weekday?: number;
  hour?: number;
}

export type DigestDecision =
  | { due: true; weekKey: string; uniqueId: string; scheduledAt: Date }
  | { due: false; reason: "off" | "no_recipient" | "not_yet"; scheduledAt?: Date };

/** The moment this week's digest becomes due: weekday `weekday` of week `weekKey` at `hour`, shop time. */
export function digestScheduledAt(weekKey: string, timeZone: string, weekday = DIGEST_DEFAULT_WEEKDAY, hour = DIGEST_HOUR): Date {
  const day = Number.isInteger(weekday) && weekday >= 1 && weekday <= 7 ? weekday : DIGEST_DEFAULT_WEEKDAY;
  const monday = new Date(`${weekKey}T00:00:00Z`);
  const date = new Date(monday.getTime() + (day - 1) * 86_400_000).toISOString().slice(0, 10);
  const midnight = startOfLocalDay(date, timeZone);
  // The next day's start bounds the day, so 08:00 on a 23- or 25-hour day is still that day.
  const next = startOfLocalDay(new Date(monday.getTime() + day * 86_400_000).toISOString().slice(0, 10), timeZone);
  return new Date(Math.min(midnight.getTime() + hour * 3_600_000, next.getTime() - 1));
}

export function digestDecision(input: DigestScheduleInput): DigestDecision {
  if (!input.enabled) return { due: false, reason: "off" };
  if (!input.recipient) return { due: false, reason: "no_recipient" };
  const week = currentWeek(input.now, input.timeZone);
  const scheduledAt = digestScheduledAt(week.key, input.timeZone, input.weekday, input.hour);
  if (input.now < scheduledAt) return { due: false, reason: "not_yet", scheduledAt };
  return { due: true, weekKey: week.key, uniqueId: digestUniqueId(input.shop, week.key), scheduledAt };
}

