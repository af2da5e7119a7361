// What the reports page and its server model share: safe to import from the browser bundle.
export const REPORT_SECTIONS = ["validation"] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
/** Fewest closed outcome windows per group (played, held out) before a lift is claimed: the playbook's own. */
export { MIN_OUTCOMES_PER_GROUP as MIN_SAMPLE_PER_GROUP } from "../../playbook/measure";
/** How far ahead a backtest checkpoint looks for a cancellation. */
export const VALIDATION_HORIZON_DAYS = 30;
/** How often a page waiting for the score check looks again. */
export const SCORE_CHECK_POLL_MS = 5000;
