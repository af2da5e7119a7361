/**
 * The playbook page: the shop's triggers in plain words with how each has been doing,
 * the on/off switch, and the Klaviyo test events that create every metric up front.
 */
import prisma from "../../db.server";
import { DEFAULT_PLAYBOOK } from "../../playbook/defaults";
import { conditionInWords, playInWords, segmentsInWords } from "../../playbook/describe";
import { measureTrigger, type Lift, type Proportion } from "../../playbook/measure";
import { compareTriggers } from "../../playbook/evaluate";
import { outcomeKindOf, type OutcomeKind } from "../../playbook/outcome";
import { triggerReport } from "../../playbook/outcomes.server";
import { windowStart } from "./firing-windows";
import { parseTrigger, type Priority, type TriggerDefinition } from "../../playbook/schema";
import { klaviyoStatus, sendTestEvents } from "../../models/klaviyo-connection.server";
import { ensurePlaybook } from "../../models/triggers.server";

const DEFAULT_KEYS: ReadonlySet<string> = new Set(DEFAULT_PLAYBOOK.map((t) => t.id));

export interface PlaybookRow {
  key: string;
  name: string;
  isDefault: boolean;
  enabled: boolean;
  /** Set when the stored definition no longer passes the schema: the engine skips it until fixed. */
  invalid: string[] | null;
  condition: string;
  segment: string;
  plays: string[];
  hasTask: boolean;
  owner: string;
  priority: Priority;
  slaHours: number;
  holdoutPercent: number;
  firings30: number;
  firings90: number;
  /** All firings so far, holdout included. */
  firingsTotal: number;
  /** Of them, held out (no play): the same count the reports show. */
  holdoutFirings: number;
  /** Acting on it means working its task (else: its Klaviyo play delivered). */
  actedOnByTask: boolean;
  triggerToAction: Proportion;
  /** Firings whose outcome window has closed; no outcome figure is shown before the first. */
  decidedOutcomes: number;
  /** ISO time the next outcome window closes; null when none is pending. */
  nextOutcomeAt: string | null;
  outcomeKind: OutcomeKind;
  actionToOutcome: Proportion;
  falsePositive: Proportion;
  lift: Lift;
}

export interface PlaybookPage {
  rows: PlaybookRow[];
  timeZone: string;
  /** ISO: the time the counts were read at. */
  now: string;
  /** ISO: the store's first firing (no count reaches back past it); null before any. */
  firstFiredAt: string | null;
  klaviyo: { connected: boolean; accountName: string | null };
  metrics: number;
}

export async function playbookPage(shop: string, now: Date): Promise<PlaybookPage> {
  await ensurePlaybook(prisma, shop);
  // Counted by when each firing happened (the events' time), not when it was written.
  const [stored, report, last30, last90, first, shopRow, klaviyo] = await Promise.all([
    prisma.trigger.findMany({ where: { shop, retiredAt: null }, select: { key: true, definition: true, enabled: true } }),
    // Rates and lift over every firing: outcome windows run 2-13 weeks, a shorter span would leave most pending.
    triggerReport(shop),
    firingCounts(shop, windowStart(now, 30)),
    firingCounts(shop, windowStart(now, 90)),
    prisma.firing.aggregate({ where: { shop }, _min: { firedAt: true } }),
    prisma.shop.findUnique({ where: { shop }, select: { timezone: true } }),
    klaviyoStatus(shop),
  ]);
  const measured = new Map(report.map((r) => [r.triggerId, r]));

  const rows = stored.map((row) => {
    const parsed = parseTrigger(safeJson(row.definition));
    const def: TriggerDefinition | null = parsed.ok ? { ...parsed.value, id: row.key } : null;
    const m = measured.get(row.key) ?? measureTrigger(row.key, []);
    return {
      def,
      row: {
        key: row.key,
        name: def?.name ?? row.key,
        isDefault: DEFAULT_KEYS.has(row.key),
        enabled: row.enabled && (def?.enabled ?? false),
        invalid: parsed.ok ? null : parsed.errors,
        condition: def ? conditionInWords(def.condition) : "This trigger's definition is invalid: open it to fix it",
        segment: def ? segmentsInWords(def.segments) : "",
        plays: def ? def.plays.map(playInWords) : [],
        hasTask: def?.plays.some((p) => p.kind === "task") ?? false,
        owner: def?.owner ?? "",
        priority: def?.priority ?? "normal",
        slaHours: def?.slaHours ?? 0,
        holdoutPercent: def?.holdoutPercent ?? 0,
        firings30: last30.get(row.key) ?? 0,
        firings90: last90.get(row.key) ?? 0,
        firingsTotal: m.firings,
        holdoutFirings: m.holdoutFirings,
        actedOnByTask: (def?.plays.some((p) => p.kind === "task") ?? false) || (measured.get(row.key)?.hasTasks ?? false),
        triggerToAction: m.triggerToAction,
        decidedOutcomes: m.decidedOutcomes,
        nextOutcomeAt: m.nextOutcomeAt?.toISOString() ?? null,
        outcomeKind: def ? outcomeKindOf(def.condition.type) : "retention",
        actionToOutcome: m.actionToOutcome,
        falsePositive: m.falsePositive,
        lift: m.lift,
      } satisfies PlaybookRow,
    };
  });
  // The order the engine considers them in: most urgent first. Invalid ones last.
  rows.sort((a, b) => (a.def && b.def ? compareTriggers(a.def, b.def) : a.def ? -1 : b.def ? 1 : a.row.key.localeCompare(b.row.key)));
  return {
    rows: rows.map((r) => r.row),
    timeZone: shopRow?.timezone ?? "UTC",
    now: now.toISOString(),
    firstFiredAt: first._min.firedAt?.toISOString() ?? null,
    klaviyo: { connected: klaviyo.connected, accountName: klaviyo.accountName },
    metrics: new Set(rows.flatMap((r) => r.def?.plays.flatMap((p) => (p.kind === "klaviyo_event" ? [p.metric] : [])) ?? [])).size,
  };
}

async function firingCounts(shop: string, since: Date): Promise<Map<string, number>> {
  const groups = await prisma.firing.groupBy({ by: ["triggerKey"], where: { shop, firedAt: { gte: since } }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.triggerKey, g._count._all]));
}

export type ToggleResult = { ok: true; message: string } | { ok: false; status: number; error: string };

/**
 * Switches a trigger on or off at once. Both the column and the stored definition are
 * written so the two never disagree (the engine requires both to be on).
 */
export async function setTriggerEnabled(shop: string, key: string, enabled: boolean): Promise<ToggleResult> {
  const row = await prisma.trigger.findFirst({ where: { shop, key, retiredAt: null }, select: { id: true, definition: true } });
  if (!row) return { ok: false, status: 404, error: "That trigger does not exist." };
  const json = safeJson(row.definition);
  const definition = json && typeof json === "object" ? JSON.stringify({ ...json, enabled }) : row.definition;
  await prisma.trigger.update({ where: { id: row.id }, data: { enabled, definition } });
  const name = json && typeof json === "object" && typeof (json as { name?: unknown }).name === "string" ? (json as { name: string }).name : key;
  return { ok: true, message: `${name}: ${enabled ? "on" : "off"}` };
}

export type TestEventsOutcome =
  | { ok: true; message: string }
  | { ok: false; status: number; error: string; notConnected?: boolean };

/** One test event per Lifeline metric, so flows can be built before the first real firing. */
export async function sendPlaybookTestEvents(shop: string, email: string): Promise<TestEventsOutcome> {
  const status = await klaviyoStatus(shop);
  if (!status.connected) {
    return {
      ok: false,
      status: 409,
      notConnected: true,
      error: "Klaviyo is not connected. Save your Klaviyo private API key in Settings, then send the test events.",
    };
  }
  const result = await sendTestEvents(shop, email);
  if (!result.ok) return { ok: false, status: 400, error: result.error };
  const failed = result.sent.flatMap((s) => (s.ok ? [] : [{ metric: s.metric, error: s.error ?? "failed" }]));
  if (failed.length > 0) {
    const list = failed.map((f) => `${f.metric} (${f.error})`).join("; ");
    return { ok: false, status: 502, error: `${failed.length} of ${result.sent.length} test events failed: ${list}` };
  }
  return { ok: true, message: `Sent ${result.sent.length} test events to ${email.trim()}: every Lifeline metric now exists in Klaviyo.` };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
