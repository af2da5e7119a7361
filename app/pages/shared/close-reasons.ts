// The words for why a task was closed, the same on every page (at-risk list, task inbox,
// subscriber page). Safe to import from the browser bundle.
import { AUTO_CLOSE_REASONS, CLOSE_REASONS, type AnyCloseReason, type CloseReason } from "../../playbook/tasks";

/** What a person may choose when they close a task or dismiss a subscriber, in the order offered. */
export const CLOSE_REASON_OPTIONS: { value: CloseReason; label: string }[] = [
  { value: "resolved", label: "Handled: nothing more to do" },
  { value: "false_positive", label: "Not at risk: a false alarm" },
  { value: "subscriber_recovered", label: "Doing fine again on their own" },
  { value: "could_not_reach", label: "Could not reach them" },
  { value: "churned_anyway", label: "Cancelled anyway" },
];

const LABELS: Record<AnyCloseReason, string> = {
  ...(Object.fromEntries(CLOSE_REASON_OPTIONS.map((r) => [r.value, r.label])) as Record<CloseReason, string>),
  cancelled: "Closed itself: they cancelled",
  recovered: "Closed itself: they are healthy again",
};

// Every close reason the task rules know has words here.
for (const r of [...CLOSE_REASONS, ...AUTO_CLOSE_REASONS]) if (!LABELS[r]) throw new Error(`close reasons: "${r}" has no label`);
if (CLOSE_REASON_OPTIONS.length !== CLOSE_REASONS.length) throw new Error("close reasons: a reason a person may choose is not offered");

export function closeReasonLabel(reason: string | null | undefined): string {
  return (reason && LABELS[reason as AnyCloseReason]) || "Closed";
}

/** Closed by the app (the subscriber cancelled or recovered), not by a person. */
export function isAutoClose(reason: string | null | undefined): boolean {
  return (AUTO_CLOSE_REASONS as readonly (string | null | undefined)[]).includes(reason);
}
