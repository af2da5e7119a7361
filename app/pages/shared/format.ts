/**
 * Formatting for the admin pages. Every date is formatted in the shop's time zone with
 * a fixed locale, so the server's render and the browser's agree.
 */
export { formatMoney } from "../../health/explain";
export { formatMoneyTotals } from "../../domain/money";

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
    }
    dateFormats.set(key, f);
  }
  return f;
}

/** "Nov 21, 2026" */
export function formatDate(iso: string | Date | null | undefined, timeZone: string): string {
  if (!iso) return "";
  return dateFormat(timeZone, { month: "short", day: "numeric", year: "numeric" }).format(new Date(iso));
}

/** "Nov 21, 2026, 3:05 PM" */
export function formatDateTime(iso: string | Date | null | undefined, timeZone: string): string {
  if (!iso) return "";
  return dateFormat(timeZone, { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}

/** A week key (its Monday, YYYY-MM-DD) as people say it: "Nov 17". */
export function weekLabel(key: string): string {
  return dateFormat("UTC", { month: "short", day: "numeric" }).format(new Date(`${key}T00:00:00Z`));
}

/** A week key with the year: "Nov 17, 2026". */
export function weekLabelLong(key: string): string {
  return dateFormat("UTC", { month: "short", day: "numeric", year: "numeric" }).format(new Date(`${key}T00:00:00Z`));
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** A share as a percentage: 0.123 -> "12%" (or "12.3%" with digits = 1); "–" when unknown. */
export function formatPercent(share: number | null | undefined, digits = 0): string {
  if (share == null || !Number.isFinite(share)) return "–";
  return `${(share * 100).toFixed(digits)}%`;
}

/** A difference of shares in percentage points: 0.052 -> "+5.2 pts". */
export function formatPoints(diff: number, digits = 1): string {
  const v = (diff * 100).toFixed(digits);
  return `${diff > 0 ? "+" : ""}${v} pts`;
}
