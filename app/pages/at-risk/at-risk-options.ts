// What the at-risk page and its server model share: safe to import from the browser bundle.

/** Rows shown on the page; the CSV has them all. */
export const PAGE_LIMIT = 250;
/** How far back the week picker goes. */
export const PICKER_WEEKS = 26;
export const SNOOZE_DAYS = 7;

/** The list's tabs: to review, snoozed, dismissed this week, and back to health this week. */
export type AtRiskView = "review" | "snoozed" | "dismissed" | "recovered";
export const AT_RISK_VIEWS: readonly AtRiskView[] = ["review", "snoozed", "dismissed", "recovered"];

/** What puts a dismissal or a snooze back as it was: the tasks it changed, and the review task it made, if any. */
export interface Undo {
  kind: "dismiss" | "snooze";
  taskIds: string[];
  createdTaskId: string | null;
}
