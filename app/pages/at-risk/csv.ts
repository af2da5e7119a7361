// The at-risk list as a spreadsheet: the same rows and ranking as the page, every row.
import type { AtRiskRow } from "./week-list.server";

export const CSV_COLUMNS = [
  "Rank",
  "Name",
  "Email",
  "Customer ID",
  "Score",
  "Band",
  "New this week",
  "Monthly value",
  "Currency",
  "Reasons",
  "Suggested play",
  "Open task",
  "Task due",
  "Contacted",
  "Shopify customer page",
] as const;

/** A cell as spreadsheets read it; text that would start a formula is quoted as text. */
function cell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function atRiskCsv(rows: readonly AtRiskRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of rows) {
    lines.push(
      [
        r.rank,
        r.name,
        r.email,
        r.customerId,
        r.score,
        r.band,
        r.crossedFrom ? "yes" : "no",
        r.monthlyValue.toFixed(2),
        r.currency,
        r.reasons.join("; "),
        r.suggestion.label,
        r.task ? r.task.title : null,
        r.task ? r.task.dueAt : null,
        r.contactedAt,
        r.shopifyUrl,
      ]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
