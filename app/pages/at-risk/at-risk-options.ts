// What the at-risk page and its server model share: safe to import from the browser bundle.

export const AT_RISK_BANDS = ["at_risk", "critical"] as const;
/** Rows shown on the page; the CSV has them all. */
export const PAGE_LIMIT = 250;
/** How far back the week picker goes. */
export const PICKER_WEEKS = 26;
export const SNOOZE_DAYS = 7;

export type AtRiskView = "review" | "snoozed" | "dismissed";
export const AT_RISK_VIEWS: readonly AtRiskView[] = ["review", "snoozed", "dismissed"];

/** What puts a dismissal or a snooze back as it was: the tasks it changed, and the review task it made, if any. */
export interface Undo {
  kind: "dismiss" | "snooze";
  taskIds: string[];
  createdTaskId: string | null;
}
