/** What a change of weights means, in the store owner's words. */
import type { Weights } from "../config";
import { SIGNAL_LABELS } from "../settings-form";
import { SIGNAL_NAMES, type SignalName } from "../types";

/** What one unit of each signal is, for "18 points per skip". */
const UNIT: Record<SignalName, string> = {
  consecutiveSkips: "skip",
  skipRate: "share of deliveries skipped (all of them)",
  paused: "pause",
  hardDecline: "declined payment",
  softDecline: "failed payment",
  otherFailure: "failed billing",
  downgrade: "downgrade",
  tenure: "unit of newness (a brand-new subscriber)",
  cardExpiring: "expiring card",
  tickets: "ticket",
  firstCycleTicket: "first-cycle ticket",
  ordersInARow: "order in a row",
  upgrade: "upgrade",
  unskip: "skip taken back",
};

const pts = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} point${n === 1 ? "" : "s"}`;

/** One sentence per weight that changed, largest change first; unchanged weights are not mentioned. */
export function describeChanges(before: Weights, after: Weights): string[] {
  return SIGNAL_NAMES.filter((s) => Math.abs(after[s] - before[s]) >= 0.05)
    .sort((a, b) => Math.abs(after[b] - before[b]) - Math.abs(after[a] - before[a]) || SIGNAL_NAMES.indexOf(a) - SIGNAL_NAMES.indexOf(b))
    .map((s) => {
      const label = SIGNAL_LABELS[s];
      if (after[s] === 0) return `${label} no longer counts: it was ${pts(before[s])} per ${UNIT[s]}.`;
      const verb = before[s] === 0 ? "now counts" : after[s] > before[s] ? "now counts more" : "now counts less";
      return `${label} ${verb}: ${pts(after[s])} per ${UNIT[s]}, was ${before[s] === 0 ? "not counted" : pts(before[s])}.`;
    });
}
