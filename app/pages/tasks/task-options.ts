// What the task inbox page and its server model share: safe to import from the browser bundle.
import { CLOSE_REASONS, type CloseReason } from "../../playbook/tasks";

export type TaskTab = "open" | "snoozed" | "done" | "all";
export const TASK_TABS: readonly TaskTab[] = ["open", "snoozed", "done", "all"];
export const TASK_TAB_LABELS: Record<TaskTab, string> = { open: "Open", snoozed: "Snoozed", done: "Done", all: "All" };

/** Rows shown at once; overdue and soonest due come first, so the cut drops the least urgent. */
export const TASK_PAGE_LIMIT = 200;

export const TASK_CLOSE_REASONS: { value: CloseReason; label: string }[] = [
  { value: "resolved", label: "Resolved: nothing more to do" },
  { value: "subscriber_recovered", label: "Subscriber recovered on their own" },
  { value: "could_not_reach", label: "Could not reach them" },
  { value: "churned_anyway", label: "Cancelled anyway" },
  { value: "false_positive", label: "False alarm: they were not at risk" },
];
// Every close reason the task rules accept has a label here.
if (TASK_CLOSE_REASONS.length !== CLOSE_REASONS.length) throw new Error("tasks: a close reason has no label");

export function closeReasonLabel(reason: string | null | undefined): string {
  return TASK_CLOSE_REASONS.find((r) => r.value === reason)?.label ?? "Closed";
}

export const PRIORITY_LABELS: Record<string, string> = { urgent: "Urgent", high: "High", normal: "Normal", low: "Low" };
