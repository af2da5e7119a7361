// What the task inbox page and its server model share: safe to import from the browser bundle.

export type TaskTab = "open" | "snoozed" | "done" | "all";
export const TASK_TABS: readonly TaskTab[] = ["open", "snoozed", "done", "all"];
export const TASK_TAB_LABELS: Record<TaskTab, string> = { open: "Open", snoozed: "Snoozed", done: "Done", all: "All" };

/** Rows shown at once; overdue and soonest due come first, so the cut drops the least urgent. */
export const TASK_PAGE_LIMIT = 200;

export const PRIORITY_LABELS: Record<string, string> = { urgent: "Urgent", high: "High", normal: "Normal", low: "Low" };
