/**
 * Money in the shop's terms: a total is shown in the shop's currency first, with amounts
 * in any other currency beside it, each in its own ("$983.87 · A$120.00 · €45.00").
 * Amounts in different currencies are never added: there is no rate to add them at.
 */
import { formatMoney } from "../health/explain";

export const MONEY_SEPARATOR = " · ";

/** Amount by currency: the shop's first (even when nothing), then the others by amount, largest first. */
export function formatMoneyTotals(totals: Readonly<Record<string, number>>, shopCurrency: string): string {
  const others = Object.entries(totals)
    .filter(([currency, amount]) => currency !== shopCurrency && amount !== 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return [formatMoney(totals[shopCurrency] ?? 0, shopCurrency), ...others.map(([currency, amount]) => formatMoney(amount, currency))].join(MONEY_SEPARATOR);
}
