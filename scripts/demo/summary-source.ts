/** The printed report's account of where a store's subscription events came from, when not from Shopify's own webhooks. */

export interface RechargeReport {
  id: "recharge";
  /** Recharge's webhooks posted to the app, and those it answered 200. */
  deliveries: number;
  acknowledged: number;
  /** The simulated moment the merchant connected Recharge in Settings. */
  connectedAt: Date;
  /** What Settings answered. */
  settingsMessage: string;
  /** Webhooks the local Recharge server holds for the shop, and the ids the app kept. */
  webhooksAtRecharge: number;
  webhooksKept: number;
  /** The webhooks the app registered at Recharge: each topic and the address Recharge posts it to. */
  webhooks: { topic: string; address: string }[];
  import: { status: string; error: string | null; pages: number; counts: Record<string, number>; seconds: number };
  /** Every request the local Recharge server answered (the token check, webhook registration, the import). */
  api: { requests: number; byEndpoint: Record<string, number>; throttled: number; bucketPeak: number; bucketSize: number };
}

export interface FlowReport {
  id: "flow";
  /** Flow action requests posted to /api/flow/record-event, and those answered 200. */
  deliveries: number;
  acknowledged: number;
}

export type SourceReport = RechargeReport | FlowReport;

export const SOURCE_NAMES = { shopify: "Shopify's subscription webhooks", recharge: "Recharge", flow: "Shopify Flow" } as const;
export type DemoSource = keyof typeof SOURCE_NAMES;

const int = new Intl.NumberFormat("en-US");
const n = (x: number) => int.format(x);
const day = (d: Date) => d.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
const NO_SHOPIFY =
  "  Shopify sent no subscription webhooks: it sends them only to the app that owns the contracts, which here is the store's subscription app.";

export function sourceSection(report: SourceReport): string[] {
  const title = `Subscription events: ${SOURCE_NAMES[report.id]}`;
  const out = ["", title.toUpperCase(), "-".repeat(title.length), NO_SHOPIFY];
  if (report.id === "flow") {
    out.push(
      `  The store's workflows end in Lifeline's Flow action: ${n(report.deliveries)} action requests posted to /api/flow/record-event,`,
      `  signed with the app's secret; ${n(report.acknowledged)} acknowledged with 200. Names come from Shopify's customer record.`,
    );
    return out;
  }
  const c = report.import.counts;
  const charges = (c.paidCharges ?? 0) + (c.failedCharges ?? 0) + (c.skippedCharges ?? 0);
  out.push(
    `  Connected in Settings as of ${day(report.connectedAt)}: "${report.settingsMessage}"`,
    `  Webhooks registered at Recharge by the app: ${n(report.webhooksAtRecharge)} (${n(report.webhooksKept)} ids kept by the app)`,
    `  History import: ${report.import.status} in ${report.import.seconds.toFixed(1)} s, ${n(report.import.pages)} pages: ${n(c.subscriptions ?? 0)} subscriptions, ` +
      `${n(c.customers ?? 0)} customers, ${n(charges)} charges (${n(c.paidCharges ?? 0)} paid, ${n(c.failedCharges ?? 0)} failed, ${n(c.skippedCharges ?? 0)} skipped)` +
      `${c.malformed ? `, ${n(c.malformed)} unreadable and skipped` : ""}`,
  );
  if (report.import.error) out.push(`    last import error: ${report.import.error}`);
  const endpoints = Object.entries(report.api.byEndpoint).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${n(v)}`);
  out.push(
    `  Recharge API: ${n(report.api.requests)} requests (${endpoints.join(", ")}); ${n(report.api.throttled)} answered 429; ` +
      `bucket peak ${n(Math.ceil(report.api.bucketPeak))} of ${n(report.api.bucketSize)}`,
    `  Recharge webhooks since: ${n(report.deliveries)} signed (both schemes) and sent to the registered addresses; ${n(report.acknowledged)} acknowledged with 200`,
  );
  return out;
}
