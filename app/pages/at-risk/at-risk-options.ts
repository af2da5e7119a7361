// What the at-risk page and its server model share: safe to import from the browser bundle.
import { CLOSE_REASONS, type CloseReason } from "../../playbook/tasks";

/** Rows shown on the page; the CSV has them all. */
export const PAGE_LIMIT = 250;
/** How far back the week picker goes. */
export const PICKER_WEEKS = 26;
export const SNOOZE_DAYS = 7;

/** The list's tabs: to review, snoozed, dismissed this week, and back to health this week. */
export type AtRiskView = "review" | "snoozed" | "dismissed" | "recovered";
export const AT_RISK_VIEWS: readonly AtRiskView[] = ["review", "snoozed", "dismissed", "recovered"];

export const DISMISS_REASONS: { value: CloseReason; label: string }[] = [
  { value: "false_positive", label: "Not actually at risk" },
  { value: "resolved", label: "Handled: nothing more to do" },
  { value: "subscriber_recovered", label: "Recovered on their own" },
  { value: "could_not_reach", label: "Could not reach them" },
  { value: "churned_anyway", label: "Cancelled anyway" },
];
// Every close reason the task rules accept has a label here.
if (DISMISS_REASONS.length !== CLOSE_REASONS.length) throw new Error("at-risk: a close reason has no label");
