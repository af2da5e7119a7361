/**
 * Tasks that close themselves: once a subscriber has cancelled there is nobody left to
 * save, and once they are back to healthy or watch there is nothing left to do, so the
 * tasks opened before that moment close with reason "cancelled" or "recovered". Decided
 * by the events' time: a task opened after the moment (the win-back a cancellation opens)
 * stays open. Pure.
 */
import type { AutoCloseReason } from "../playbook/tasks";
import { BAND_RANK, type Band } from "../playbook/types";

/** An open or snoozed task, and when it was opened by the events (its firing's time, else its creation). */
export interface OpenTaskRef {
  id: string;
  openedAt: Date;
}

export interface TaskClose {
  taskId: string;
  reason: AutoCloseReason;
  at: Date;
}

/** Bands a subscriber has recovered into: the at-risk list no longer asks anything of the merchant. */
const RECOVERED_BANDS = new Set(["healthy", "watch"]);

/**
 * Since when the subscriber's tasks are moot, and why; null while someone may still need to
 * act. Recovered means the band got better into healthy or watch (`bandBefore` was worse):
 * sliding from healthy into watch is no recovery.
 */
export function mootSince(state: { cancelledAt: Date | null; band: string; bandSince: Date; bandBefore: string | null }): { reason: AutoCloseReason; since: Date } | null {
  if (state.cancelledAt) return { reason: "cancelled", since: state.cancelledAt };
  const improved = state.bandBefore !== null && BAND_RANK[state.band as Band] < BAND_RANK[state.bandBefore as Band];
  if (RECOVERED_BANDS.has(state.band) && improved) return { reason: "recovered", since: state.bandSince };
  return null;
}

/** The closes owed: each task opened before the moment, closed at that moment. */
export function taskCloses(open: readonly OpenTaskRef[], moot: { reason: AutoCloseReason; since: Date } | null): TaskClose[] {
  if (!moot) return [];
  return open.filter((t) => t.openedAt.getTime() < moot.since.getTime()).map((t) => ({ taskId: t.id, reason: moot.reason, at: moot.since }));
}
