// What the task inbox page and its server model share: safe to import from the browser bundle.

export type TaskTab = "open" | "snoozed" | "done" | "all";
export const TASK_TABS: readonly TaskTab[] = ["open", "snoozed", "done", "all"];
export const TASK_TAB_LABELS: Record<TaskTab, string> = { open: "Open", snoozed: "Snoozed", done: "Done", all: "All" };

/** Rows a page; overdue and soonest due come first, so the first page is the most urgent. */
export const TASK_PAGE_SIZE = 50;

/** "1-50 of 1,056": where this page sits in the tab. */
export function pageLabel(page: number, pageSize: number, total: number): string {
  if (total === 0) return "0 of 0";
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return `${from.toLocaleString("en-US")}-${to.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`;
}

export const PRIORITY_LABELS: Record<string, string> = { urgent: "Urgent", high: "High", normal: "Normal", low: "Low" };
