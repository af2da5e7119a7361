/** The demo's printed report: the database summary in a merchant's words, plus how the run went. */
import type { DemoSummary } from "./summary";
import { formatMoneyTotals } from "../../app/domain/money";
import { sourceSection, type SourceReport } from "./summary-source";

export interface RunFacts {
  shop: string;
  subscribers: number;
  months: number;
  seed: number;
  start: Date;
  end: Date;
  posted: number;
  acknowledged: number;
  notAcknowledged: { topic: string; status: number; detail: string }[];
  appUrl: string;
  /** Whether the app answered /demo (its local demo mode for the admin pages). */
  demoMode: boolean;
  dbFile: string;
  keepRunning: boolean;
  /** Seconds per phase, in order. */
  phases: [string, number][];
  totalSeconds: number;
  /** Deliveries per second the app processed, and what else the run measured. */
  notes: string[];
  /** Where the subscription events came from, when not from Shopify's own webhooks. */
  source?: SourceReport;
}

const int = new Intl.NumberFormat("en-US");
const n = (x: number) => int.format(x);
const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : "0%");
const plural = (count: number, word: string, many = `${word}s`) => `${n(count)} ${count === 1 ? word : many}`;
const words = (key: string) => key.replace(/_/g, " ");
const day = (d: Date) => d.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

export function money(amount: number, currency = "USD"): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

type TableRow = [label: string, count: number, note?: string];

/** Labels left, counts right-aligned, an optional note after. */
function table(rows: TableRow[], indent = "  "): string[] {
  const lw = Math.max(0, ...rows.map(([label]) => label.length));
  const cw = Math.max(0, ...rows.map(([, count]) => n(count).length));
  return rows.map(([label, count, note]) => `${indent}${label.padEnd(lw)}  ${n(count).padStart(cw)}${note ? `  ${note}` : ""}`);
}

const byCount = (record: Record<string, number>): TableRow[] =>
  Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => [k, v]);

const heading = (title: string) => ["", title.toUpperCase(), "-".repeat(title.length)];

export function formatSummary(s: DemoSummary, run: RunFacts): string {
  const out: string[] = [
    `Lifeline demo: ${run.shop}`,
    `${n(run.subscribers)} simulated subscribers over ${run.months} months (${day(run.start)} to ${day(run.end)}), seed ${run.seed}`,
  ];
  if (run.source) out.push(...sourceSection(run.source));

  out.push(...heading("Subscribers"));
  out.push(
    ...table([
      ["Active", s.subscribers.active],
      ["Paused", s.subscribers.paused],
      ["Cancelled", s.subscribers.cancelled],
      ...(s.subscribers.unknown ? ([["Not yet known", s.subscribers.unknown]] as TableRow[]) : []),
      ["Total", s.subscribers.total],
    ]),
  );
  const { USD = 0, ...others } = s.mrr;
  out.push(`  Monthly recurring revenue (active subscribers): ${money(USD)}`);
  const other = Object.entries(others).filter(([, v]) => v > 0);
  if (other.length) out.push(`  Also billed in other currencies (not converted): ${other.map(([c, v]) => money(v, c)).join(", ")}`);

  out.push(...heading("Webhooks"));
  out.push(`  ${plural(run.posted, "delivery", "deliveries")} sent; ${n(run.acknowledged)} acknowledged with 200`);
  for (const line of refusals(run.notAcknowledged)) out.push(`  NOT acknowledged: ${line}`);
  out.push(`  Events ingested: ${n(s.eventsIngested)}`, ...table(byCount(s.eventsByTopic), "    "));
  const twice = run.source ? "the same delivery arrived twice" : "Shopify sent the same event twice";
  out.push(`  Duplicates ignored: ${n(s.duplicatesIgnored)} (${twice}: acknowledged, kept once)`);
  if (Object.keys(s.timelineByType).length) {
    out.push("  Subscriber timeline events recorded:", ...table(byCount(s.timelineByType), "    "));
  }

  out.push(...heading("Deliveries that failed"));
  if (s.dead === 0) out.push("  None: every delivery was processed.");
  else {
    out.push(`  ${plural(s.dead, "delivery", "deliveries")} could not be processed and wait in the dead-letter list:`);
    for (const r of s.deadReasons) out.push(`    ${n(r.count)} x ${r.topic}: ${r.reason}`);
  }
  if (s.unfinishedJobs) out.push(`  ${plural(s.unfinishedJobs, "job")} still waiting to run or retry.`);

  const omitted: string[] = [];
  const section = (title: string, hasRows: boolean, body: () => string[]) => {
    if (hasRows) out.push(...heading(title), ...body());
    else omitted.push(title.toLowerCase());
  };
  const scored = Object.values(s.bands).reduce((a, b) => a + b, 0);
  const bandRank = (band: string) => (["healthy", "watch", "at_risk", "critical"].indexOf(band) + 100) % 100;
  section("Health", scored > 0, () =>
    table(
      Object.entries(s.bands)
        .sort(([a], [b]) => bandRank(a) - bandRank(b))
        .map(([band, count]) => [words(band), count, `(${pct(count, scored)})`]),
    ),
  );
  section("At risk this week", scored > 0, () => [
    `  ${plural(s.week.atRisk, "subscriber")} at risk or critical this week: ${formatMoneyTotals(s.week.monthlyAtRisk, s.week.currency)} a month`,
    `  To review (not snoozed or dismissed): ${n(s.week.toReview)}; became at risk and recovered this week: ${n(s.week.recovered)}`,
  ]);
  section("To review this week (highest monthly value first)", s.atRisk.length > 0, () =>
    s.atRisk.flatMap((r, i) => [
      `  ${String(i + 1).padStart(2)}. ${r.name}${r.email ? ` <${r.email}>` : ""}: ${money(r.monthlyValue, r.currency)}/month, score ${r.score} (${words(r.band)})`,
      ...r.factors.map((f) => `        - ${f}`),
    ]),
  );
  section("Triggers fired", s.firings.length > 0, () =>
    table(s.firings.map((f) => [f.triggerKey, f.fired, `fired (${n(f.heldOut)} held out as control)`])),
  );
  section("Klaviyo events delivered", Object.keys(s.klaviyoEvents).length > 0, () => table(byCount(s.klaviyoEvents)));
  section("Plays", Object.keys(s.plays).length > 0, () => [
    ...table(byCount(s.plays)),
    ...s.playFailures.map((f) => `    failed ${n(f.count)} x: ${f.reason}`),
  ]);
  section("Tasks", Object.keys(s.tasks.byPriority).length > 0, () => [
    ...table(byCount(s.tasks.byPriority).map(([k, v]) => [`${k} priority`, v])),
    `  ${n(s.tasks.open)} open, ${n(s.tasks.overdue)} overdue`,
  ]);
  if (omitted.length) out.push("", `(Nothing yet for: ${omitted.join("; ")}.)`);

  out.push(...heading("Ground truth check (from the simulator, not the app)"));
  const { simulatorCancelled: sim, appCancelled: app } = s.truth;
  out.push(
    `  The simulator ended every contract of ${plural(sim, "subscriber")}; the app marks ${n(app)} as cancelled`,
    `  (difference ${app - sim >= 0 ? "+" : ""}${n(app - sim)}, ${pct(Math.abs(app - sim), sim)} of the simulator's count).`,
  );

  out.push(...heading("Where to look next"), ...whereNext(run));
  out.push("", `Took ${seconds(run.totalSeconds)}: ${run.phases.map(([name, t]) => `${name} ${seconds(t)}`).join(", ")}.`);
  for (const note of run.notes) out.push(note);
  return out.join("\n");
}

function whereNext(run: RunFacts): string[] {
  const url = run.appUrl.replace("127.0.0.1", "localhost");
  const lines = [
    `  The app ${run.keepRunning ? "runs" : "ran"} at ${url}/app${run.keepRunning ? " (Ctrl-C stops it)" : ""}. Its admin pages need Shopify's`,
    "  session token, so a browser opening /app directly is turned away.",
  ];
  if (run.demoMode) {
    lines.push(
      `  Demo mode stands in for the Shopify admin: open ${url}/demo (or ${url}/demo?to=/app/at-risk)`,
      `  to browse the pages signed in as the demo store${run.keepRunning ? "." : " (rerun with --keep-running first)."}`,
    );
  } else {
    lines.push("  To browse them, run `npm run dev` (Shopify CLI) with a development store.");
  }
  lines.push(
    `  The demo database stays for inspection: ${run.dbFile}`,
    `    sqlite3 ${run.dbFile} "SELECT status, COUNT(*) FROM Subscriber GROUP BY status"`,
  );
  return lines;
}

function refusals(list: RunFacts["notAcknowledged"]): string[] {
  const counts = new Map<string, number>();
  for (const f of list) {
    const key = `${f.status === 0 ? "no answer" : `HTTP ${f.status}`} on ${f.topic}${f.detail ? ` (${f.detail.slice(0, 80)})` : ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${n(count)} x ${key}`);
}
