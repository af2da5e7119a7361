/**
 * The timeline as a merchant reads it: a run of the same routine event (payments that
 * went through, month after month) is one row, "12 payments went through, Jan–Nov 2026",
 * that opens to show each; anything that matters (a failure, a skip, a pause, a cancel,
 * an edit) stays its own row. Pure: safe in the browser bundle and in tests.
 */

export interface GroupableEvent {
  id: string;
  type: string;
  occurredAt: string;
}

export type TimelineItem<E extends GroupableEvent> =
  | { kind: "event"; event: E }
  /** Newest first, like the timeline; at least two events. */
  | { kind: "run"; type: string; events: E[] };

/** Events that say "all is well" and collapse when they repeat; anything else always shows on its own. */
export const ROUTINE_EVENTS: ReadonlySet<string> = new Set(["billing.succeeded"]);

/** Groups a timeline (newest first) into rows: each run of two or more of the same routine event becomes one. */
export function groupTimeline<E extends GroupableEvent>(events: readonly E[]): TimelineItem<E>[] {
  const items: TimelineItem<E>[] = [];
  let run: E[] = [];
  const flush = () => {
    if (run.length >= 2) items.push({ kind: "run", type: run[0].type, events: run });
    else if (run.length === 1) items.push({ kind: "event", event: run[0] });
    run = [];
  };
  for (const e of events) {
    if (run.length && e.type !== run[0].type) flush();
    if (ROUTINE_EVENTS.has(e.type)) run.push(e);
    else {
      flush();
      items.push({ kind: "event", event: e });
    }
  }
  flush();
  return items;
}

const RUN_NOUNS: Record<string, { one: string; many: string; verb: string }> = {
  "billing.succeeded": { one: "payment", many: "payments", verb: "went through" },
};

const monthFormats = new Map<string, Intl.DateTimeFormat>();
function monthFormat(timeZone: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withYear}`;
  let f = monthFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = { month: "short", year: withYear ? "numeric" : undefined };
    try {
      f = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
    }
    monthFormats.set(key, f);
  }
  return f;
}

/** "Jan–Nov 2026", "Dec 2025–Nov 2026", or "Nov 2026" for one month, in the shop's time zone. */
export function monthSpan(oldest: string, newest: string, timeZone: string): string {
  const full = monthFormat(timeZone, true);
  const from = full.format(new Date(oldest));
  const to = full.format(new Date(newest));
  if (from === to) return to;
  if (from.slice(-4) === to.slice(-4)) return `${monthFormat(timeZone, false).format(new Date(oldest))}–${to}`;
  return `${from}–${to}`;
}

/** A run's row: "12 payments went through, Jan–Nov 2026". */
export function runLabel(run: { type: string; events: readonly GroupableEvent[] }, timeZone: string): string {
  const words = RUN_NOUNS[run.type] ?? { one: "event", many: "events", verb: `of type ${run.type}` };
  const n = run.events.length;
  const span = monthSpan(run.events[n - 1].occurredAt, run.events[0].occurredAt, timeZone);
  return `${n} ${n === 1 ? words.one : words.many} ${words.verb}, ${span}`;
}
