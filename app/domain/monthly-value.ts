/** Deliveries (or billings) per month for a selling-plan interval. */
export function perMonth(interval: string | null | undefined, count: number | null | undefined): number {
  const n = count && count > 0 ? count : 1;
  switch ((interval ?? "MONTH").toUpperCase()) {
    case "DAY":
      return 365 / 12 / n;
    case "WEEK":
      return 52 / 12 / n;
    case "YEAR":
      return 1 / 12 / n;
    default:
      return 1 / n;
  }
}

export interface PricedLine {
  quantity: number;
  price: number;
}

/**
 * What a contract is worth a month: each delivery's line prices times deliveries per
 * month. Prices are per delivery (Shopify's line currentPrice), so the delivery policy
 * sets the rhythm, not the billing policy (a prepaid plan bills less often).
 */
export function monthlyValue(lines: readonly PricedLine[], deliveryInterval: string | null, deliveryCount: number | null): number {
  const perDelivery = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  return Math.round(perDelivery * perMonth(deliveryInterval, deliveryCount) * 100) / 100;
}
