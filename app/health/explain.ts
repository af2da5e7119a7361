/**
 * Plain-words explanations of score factors. A merchant should be able to read
 * a factor aloud to a colleague and act on it without knowing what a signal is.
 */
import type { SignalDetails, FailureDetail, ValueChangeDetail } from "./signals";
import type { FactorName, HealthFactor, SubscriberFacts } from "./types";

const DAY_MS = 86_400_000;

// Intl formatter construction costs tens of microseconds; scoring many
// subscribers reuses a handful of them.
const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatMoney(amount: number, currency = "USD"): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat("en-US", { style: "currency", currency });
    } catch {
      // Unknown currency code: still say something useful.
      return `${amount.toFixed(2)} ${currency}`;
    }
    moneyFormats.set(currency, f);
  }
  return f.format(amount);
}

function dateFormat(timeZone: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withYear}`;
  let f = dateFormats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: withYear ? "numeric" : undefined, timeZone });
    } catch {
      f = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: withYear ? "numeric" : undefined, timeZone: "UTC" });
    }
    dateFormats.set(key, f);
  }
  return f;
}

/** "Dec 3", or "Dec 3, 2026" when not in the same year as `now`. */
export function formatDay(at: number, now: number, timeZone = "UTC"): string {
  const withYear = dateFormat(timeZone, true);
  const sameYear = withYear.format(at).slice(-4) === withYear.format(now).slice(-4);
  return dateFormat(timeZone, !sameYear).format(at);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Whole days between `at` and `now`, as people say it. */
export function ago(at: number, now: number): string {
  const days = Math.max(0, Math.floor((now - at) / DAY_MS));
  if (days === 0) return "today";
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

// Error codes in words; anything unlisted is shown lower-cased.
const REASONS: Record<string, string> = {
  INSUFFICIENT_FUNDS: "insufficient funds",
  PAYMENT_METHOD_DECLINED: "declined by the bank",
  TRANSIENT_ERROR: "temporary error",
  UNEXPECTED_ERROR: "unexpected error",
  AUTHENTICATION_ERROR: "authentication failed",
  PAYMENT_PROVIDER_IS_NOT_ENABLED: "payment provider not enabled",
  EXPIRED_PAYMENT_METHOD: "expired card",
  INVALID_PAYMENT_METHOD: "invalid card",
  PAYMENT_METHOD_NOT_FOUND: "no card on file",
  CARD_NUMBER_INCORRECT: "incorrect card number",
  FRAUD_SUSPECTED: "suspected fraud",
  BUYER_CANCELED_PAYMENT_METHOD: "customer removed the card",
  INVALID_SHIPPING_ADDRESS: "invalid shipping address",
  INSUFFICIENT_INVENTORY: "out of stock",
  INVENTORY_ALLOCATIONS_NOT_FOUND: "out of stock",
  TAX_ERROR: "tax error",
  AMOUNT_TOO_SMALL: "amount too small",
};

// Codes where the card itself is the problem; others are "billing failed".
const CARD_CODES = new Set([
  "INSUFFICIENT_FUNDS",
  "PAYMENT_METHOD_DECLINED",
  "AUTHENTICATION_ERROR",
  "EXPIRED_PAYMENT_METHOD",
  "INVALID_PAYMENT_METHOD",
  "PAYMENT_METHOD_NOT_FOUND",
  "CARD_NUMBER_INCORRECT",
  "FRAUD_SUSPECTED",
  "BUYER_CANCELED_PAYMENT_METHOD",
  "PAYMENT_METHOD_INCOMPATIBLE_WITH_GATEWAY_CONFIG",
  "PURCHASE_TYPE_NOT_SUPPORTED",
]);

function reason(code: string | null): string {
  if (!code) return "";
  return ` (${REASONS[code] ?? code.toLowerCase().replace(/_/g, " ")})`;
}

/** "Card declined 3 days ago" or "Card declined 3 times, last 3 days ago". */
function when(subject: string, d: { count: number; lastAt: number }, now: number): string {
  return d.count > 1 ? `${subject} ${d.count} times, last ${ago(d.lastAt, now)}` : `${subject} ${ago(d.lastAt, now)}`;
}

function failureText(kind: "hard" | "soft" | "other", d: FailureDetail, now: number): string {
  const code = d.lastCode;
  const isCard = code === null || CARD_CODES.has(code);
  if (kind === "hard" && !d.softenedHard) {
    if (code === "EXPIRED_PAYMENT_METHOD") return `${when("Card expired and declined", d, now)}, no new card yet`;
    return isCard
      ? `${when("Card declined", d, now)}${reason(code)}, no new card yet`
      : `${when("Billing failed", d, now)}${reason(code)}, not yet fixed`;
  }
  if (kind === "soft" && d.challenged) {
    const asked = d.count > 1 ? `asked ${d.count} times, last ${ago(d.lastAt, now)}` : `asked ${ago(d.lastAt, now)}`;
    return `Payment needs the customer to confirm their card (${asked}), not yet done`;
  }
  if (kind === "soft" && d.softenedHard) return `${when("Card declined", d, now)}${reason(code)}, new card added, not yet recovered`;
  if (kind === "soft") return `${when(isCard ? "Card declined" : "Payment failed", d, now)}${reason(code)}, not yet recovered`;
  return `${when("Billing failed", d, now)}${reason(code)}, not yet recovered`;
}

function changeText(verb: string, d: ValueChangeDetail, now: number, currency: string): string {
  const what = `from ${formatMoney(d.from, currency)} to ${formatMoney(d.to, currency)} a month ${ago(d.lastAt, now)}`;
  return d.count > 1 ? `${verb} ${d.count} times, last ${what}` : `${verb} ${what}`;
}

function tenureText(days: number): string {
  if (days < 30) return "In their first month";
  const months = Math.ceil(days / 30);
  if (months <= 6) return `In their first ${months} months`;
  if (days < 730) return `Subscribed for ${Math.floor(days / 30)} months`;
  return `Subscribed for ${Math.floor(days / 365)} years`;
}

export function factorText(
  signal: FactorName,
  d: SignalDetails,
  facts: SubscriberFacts,
  now: number,
  cancelledAt: number | null = null,
): string {
  const tz = facts.timeZone ?? "UTC";
  switch (signal) {
    case "cancelled":
      return `Cancelled on ${formatDay(cancelledAt ?? now, now, tz)}`;
    case "consecutiveSkips":
      return d.skipStreak === 1 ? "Skipped the last delivery" : `Skipped the last ${d.skipStreak} deliveries`;
    case "skipRate":
      return d.skipWindow.cycles === 1
        ? "Skipped their only recent delivery"
        : `Skipped ${d.skipWindow.skipped} of the last ${d.skipWindow.cycles} deliveries`;
    case "paused": {
      const days = Math.floor((now - (d.pausedSince ?? now)) / DAY_MS);
      return days <= 0 ? "Paused today" : days === 1 ? "Paused for 1 day" : `Paused for ${days} days`;
    }
    case "hardDecline":
      return failureText("hard", d.hard, now);
    case "softDecline":
      return failureText("soft", d.soft, now);
    case "otherFailure":
      return failureText("other", d.other, now);
    case "downgrade":
      return changeText("Downgraded", d.downgrades, now, facts.currency ?? "USD");
    case "upgrade":
      return changeText("Upgraded", d.upgrades, now, facts.currency ?? "USD");
    case "tenure":
      return tenureText(d.tenureDays);
    case "cardExpiring": {
      const c = d.card;
      if (!c) return "Card expires before the next billing";
      const next = c.nextBillingAt !== null ? ` on ${formatDay(c.nextBillingAt, now, tz)}` : "";
      if (c.expired) {
        const m = new Date(c.expiresAt - 1);
        const month = `${MONTHS[m.getUTCMonth()]} ${m.getUTCFullYear()}`;
        return c.nextBillingAt !== null ? `Card expired in ${month}, before the next billing${next}` : `Card on file expired in ${month}`;
      }
      return `Card expires before the next billing${next}`;
    }
    case "tickets":
      return d.tickets.count === 1
        ? `Opened a service ticket ${ago(d.tickets.lastAt, now)}`
        : `Opened ${d.tickets.count} service tickets, last ${ago(d.tickets.lastAt, now)}`;
    case "firstCycleTicket":
      return d.firstCycleTickets.count === 1
        ? "Opened a service ticket in their first cycle"
        : `Opened ${d.firstCycleTickets.count} service tickets in their first cycle`;
    case "ordersInARow":
      return d.ordersStreak === 1 ? "Last order went through" : `${d.ordersStreak} orders in a row`;
    case "unskip":
      return d.unskips.count === 1 ? `Took back a skip ${ago(d.unskips.lastAt, now)}` : `Took back ${d.unskips.count} skips, last ${ago(d.unskips.lastAt, now)}`;
  }
}

/**
 * Signals that state one fact between them: "Skipped the last delivery" and "Skipped 1 of
 * the last 2 deliveries" are the same skip. Any other factor is its own fact.
 */
const FACT_OF: Partial<Record<FactorName, string>> = { consecutiveSkips: "skips", skipRate: "skips" };

/** The skips in one sentence: the run of skips, and the recent rate only where it says more. */
export function skipsText(d: SignalDetails): string {
  const streak = d.skipStreak;
  const { skipped, cycles } = d.skipWindow;
  const run = streak === 1 ? "Skipped the last delivery" : `Skipped the last ${streak} deliveries`;
  if (streak === 0) return cycles === 1 ? "Skipped their only recent delivery" : `Skipped ${skipped} of the last ${cycles} deliveries`;
  return skipped <= streak ? run : `${run}, ${skipped} of the last ${cycles}`;
}

/**
 * Each fact once, strongest first: factors that state the same fact (see FACT_OF, or the
 * same words) become one, with their points and shares added and the strongest one's signal.
 * `textOf` words a merged fact (given its key); without it the strongest factor's words stand.
 */
export function oneFactorPerFact(factors: readonly HealthFactor[], textOf?: (fact: string) => string | null): HealthFactor[] {
  const byFact = new Map<string, HealthFactor[]>();
  for (const f of factors) {
    const key = `${f.points < 0 ? "-" : "+"}${FACT_OF[f.signal] ?? `text:${f.text}`}`;
    const same = byFact.get(key);
    if (same) same.push(f);
    else byFact.set(key, [f]);
  }
  const merged: HealthFactor[] = [];
  for (const [key, same] of byFact) {
    const strongest = same.reduce((a, b) => (Math.abs(b.points) > Math.abs(a.points) ? b : a));
    if (same.length === 1) {
      merged.push(strongest);
      continue;
    }
    merged.push({
      signal: strongest.signal,
      points: same.reduce((sum, f) => sum + f.points, 0),
      share: same.reduce((sum, f) => sum + f.share, 0),
      text: textOf?.(key.slice(1)) ?? strongest.text,
    });
  }
  return merged.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
}
