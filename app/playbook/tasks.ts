/**
 * Task rules for plays of kind "task". Closing a task demands a reason code: those
 * codes are the only way the playbook learns whether a trigger fires on the right
 * people (see measure.ts, false-positive rate), so a free-text "done" is refused.
 */

export const CLOSE_REASONS = [
  "resolved",
  "subscriber_recovered",
  "false_positive",
  "could_not_reach",
  "churned_anyway",
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/**
 * Reasons the rescore stage closes a task with, never offered to a person: the subscriber
 * cancelled (nobody left to save) or recovered (back to healthy or watch) after the task opened.
 */
export const AUTO_CLOSE_REASONS = ["cancelled", "recovered"] as const;
export type AutoCloseReason = (typeof AUTO_CLOSE_REASONS)[number];
export type AnyCloseReason = CloseReason | AutoCloseReason;

export type TaskStatus = "open" | "snoozed" | "done";

export interface PlaybookTask {
  status: TaskStatus;
  createdAt: Date;
  slaHours: number;
  /** Set while snoozed; the SLA is not moved by a snooze. */
  snoozedUntil?: Date | null;
  closedAt?: Date | null;
  closeReason?: CloseReason | null;
  closeNote?: string | null;
}

const HOUR_MS = 3_600_000;

export function taskDueAt(task: Pick<PlaybookTask, "createdAt" | "slaHours">): Date {
  return new Date(task.createdAt.getTime() + task.slaHours * HOUR_MS);
}

/**
 * Past its SLA and still not done. A task snoozed into the future is not overdue:
 * the owner deliberately deferred it (e.g. "call after the weekend"); once the snooze
 * ends it is judged against the original due time again.
 */
export function isOverdue(task: PlaybookTask, now: Date): boolean {
  if (task.status === "done") return false;
  if (task.status === "snoozed" && task.snoozedUntil && task.snoozedUntil.getTime() > now.getTime()) return false;
  return now.getTime() > taskDueAt(task).getTime();
}

export type CloseValidation = { ok: true; reason: CloseReason; note: string | null } | { ok: false; error: string };

/** Checks a close request as it arrives from a form: the reason must be one of CLOSE_REASONS. */
export function validateTaskClose(input: { reason?: unknown; note?: unknown }): CloseValidation {
  const { reason, note } = input;
  if (reason === undefined || reason === null || reason === "") {
    return { ok: false, error: `Choose a reason to close this task: ${CLOSE_REASONS.join(", ")}.` };
  }
  if (typeof reason !== "string" || !(CLOSE_REASONS as readonly string[]).includes(reason)) {
    return {
      ok: false,
      error: `"${String(reason)}" is not a close reason; use one of: ${CLOSE_REASONS.join(", ")}.`,
    };
  }
  if (note !== undefined && note !== null && typeof note !== "string") {
    return { ok: false, error: "The note must be text." };
  }
  const trimmed = typeof note === "string" ? note.trim().slice(0, 2000) : "";
  return { ok: true, reason: reason as CloseReason, note: trimmed === "" ? null : trimmed };
}

export type TaskChange = { ok: true; task: PlaybookTask } | { ok: false; error: string };

/** Closes an open or snoozed task with a reason; a done task stays as it was closed. */
export function closeTask(task: PlaybookTask, input: { reason?: unknown; note?: unknown }, now: Date): TaskChange {
  if (task.status === "done") return { ok: false, error: "This task is already closed." };
  const v = validateTaskClose(input);
  if (!v.ok) return v;
  return {
    ok: true,
    task: { ...task, status: "done", closedAt: now, closeReason: v.reason, closeNote: v.note, snoozedUntil: null },
  };
}

export function snoozeTask(task: PlaybookTask, until: Date, now: Date): TaskChange {
  if (task.status === "done") return { ok: false, error: "A closed task cannot be snoozed." };
  if (until.getTime() <= now.getTime()) return { ok: false, error: "Snooze until a time in the future." };
  return { ok: true, task: { ...task, status: "snoozed", snoozedUntil: until } };
}

export function reopenTask(task: PlaybookTask): PlaybookTask {
  return { ...task, status: "open", snoozedUntil: null, closedAt: null, closeReason: null, closeNote: null };
}
